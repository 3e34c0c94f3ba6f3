package org.eef4j.engine.tokenizer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The fixture tokenizers, loaded once per test run (each takes a second or two to read). */
final class Tokenizers {

    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private Tokenizers() {}

    static Tokenizer get(String model) {
        var dir = Fixtures.tokenizerDir(model);
        return LOADED.computeIfAbsent(model, m -> Tokenizer.load(dir));
    }
}
