package org.eef4j.engine.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints load time and encode throughput on the WebShop catalogue (no assertions; timings do not belong in tests).
 * Run: java --add-modules jdk.incubator.vector -cp test-classes:classes:deps org.eef4j.engine.tokenizer.TokenizerBenchmark
 * [shared-dir]
 */
public final class TokenizerBenchmark {

    private TokenizerBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        String text = Files.readString(shared.resolve("data/webshop-1k/products.jsonl"));
        System.out.printf("text: %.1f MB%n", text.length() / 1e6);
        for (String model : new String[] {"llama3", "qwen3"}) {
            long t0 = System.nanoTime();
            Tokenizer tok = Tokenizer.load(shared.resolve("fixtures/tokenizers/" + model));
            long t1 = System.nanoTime();
            System.out.printf("%s: load %.0f ms%n", model, (t1 - t0) / 1e6);
            for (int round = 0; round < 3; round++) {
                long s = System.nanoTime();
                int n = tok.encode(text).length;
                long e = System.nanoTime();
                System.out.printf("%s: round %d: %d tokens in %.0f ms = %.2f MB/s, %.0f ktok/s%n", model, round, n,
                        (e - s) / 1e6, text.length() / 1e6 / ((e - s) / 1e9), n / 1e3 / ((e - s) / 1e9));
            }
            long s = System.nanoTime();
            Encoding enc = tok.encodeWithOffsets(text, false);
            System.out.printf("%s: with offsets %.0f ms (%d tokens)%n", model, (System.nanoTime() - s) / 1e6, enc.size());
            s = System.nanoTime();
            String back = tok.decode(enc.ids());
            System.out.printf("%s: decode %.0f ms, round trip %s%n", model, (System.nanoTime() - s) / 1e6,
                    back.equals(text) || model.equals("qwen3"));
        }
    }
}
