package org.eef4j.engine.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared fixtures are, and the test text. */
final class Fixtures {

    private Fixtures() {}

    static Path shared(String relative) {
        Path p = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve(relative);
        assumeTrue(Files.exists(p), "skipped: needs " + p + " (the ../shared folder beside the clone)");
        return p;
    }

    static Path tokenizerDir(String model) {
        return shared("fixtures/tokenizers/" + model);
    }

    static String resource(String name) {
        try (var in = Fixtures.class.getResourceAsStream("/tokenizer/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /tokenizer/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
