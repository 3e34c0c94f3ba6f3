package org.eef4j.engine.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The Hugging Face tokenizers library itself (Rust, through DJL's bundled native library), as the oracle our tokenizer
 * is compared with. Tests that need it skip, saying why, when the native library cannot load on this platform.
 */
final class HfOracle implements AutoCloseable {

    private final HuggingFaceTokenizer hf;

    private HfOracle(HuggingFaceTokenizer hf) {
        this.hf = hf;
    }

    private static final Map<Path, HfOracle> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The oracle for a fixture file, opened once per test run (and left open until the JVM ends). */
    static HfOracle shared(Path tokenizerJson) {
        HfOracle oracle = SHARED.get(tokenizerJson);
        if (oracle == null) {
            oracle = open(tokenizerJson);
            SHARED.put(tokenizerJson, oracle);
        }
        return oracle;
    }

    /** Opens tokenizer.json with the library; skips the calling test when the native library cannot load. */
    static HfOracle open(Path tokenizerJson) {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            // No truncation or padding: the oracle must encode the whole text exactly as given.
            return new HfOracle(HuggingFaceTokenizer.newInstance(in,
                    Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false")));
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            assumeTrue(false, "skipped: the Hugging Face tokenizers native library (ai.djl.huggingface:tokenizers) "
                    + "cannot load here: " + e);
            throw new AssertionError(e);
        } catch (Exception e) {
            if (e.getClass().getName().startsWith("ai.djl")) {
                assumeTrue(false, "skipped: DJL could not start the Hugging Face tokenizers library: " + e);
            }
            throw new AssertionError("cannot open " + tokenizerJson + " with the Hugging Face library", e);
        }
    }

    int[] encode(String text, boolean addSpecialTokens) {
        return Arrays.stream(hf.encode(text, addSpecialTokens, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    String decode(int[] ids, boolean skipSpecialTokens) {
        return hf.decode(Arrays.stream(ids).asLongStream().toArray(), skipSpecialTokens);
    }

    @Override
    public void close() {
        hf.close();
    }
}
