package org.eef4j.engine.tokenizer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints tokenizer load, encode, decode and BPE training costs on the WebShop catalogue (no assertions: timings do not
 * belong in tests). Times are this thread's CPU time, so that other processes on the machine do not inflate them.
 * Run from eef4j-engine after {@code mvn test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes:DEPS
 * org.eef4j.engine.tokenizer.TokenizerBenchmark ../../shared}
 */
public final class TokenizerBenchmark {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private TokenizerBenchmark() {}

    private static double ms(long startNanos) {
        return (CPU.getCurrentThreadCpuTime() - startNanos) / 1e6;
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
        String text = Files.readString(shared.resolve("data/webshop-1k/products.jsonl"));
        double mb = text.length() / 1e6;
        System.out.printf("text: %.1f M chars%n", mb);
        for (String model : new String[] {"llama3", "qwen3"}) {
            for (int round = 0; round < 3; round++) {
                long t = CPU.getCurrentThreadCpuTime();
                Tokenizer.load(shared.resolve("fixtures/tokenizers/" + model));
                System.out.printf("%s: load round %d: %.0f ms%n", model, round, ms(t));
            }
            Tokenizer tok = Tokenizer.load(shared.resolve("fixtures/tokenizers/" + model));
            int n = 0;
            for (int round = 0; round < 4; round++) {
                long t = CPU.getCurrentThreadCpuTime();
                n = tok.encode(text).length;
                double elapsed = ms(t);
                System.out.printf("%s: encode round %d: %d tokens, %.0f ms, %.1f MB/s, %.2f M tokens/s%n", model, round, n,
                        elapsed, mb / (elapsed / 1e3), n / 1e6 / (elapsed / 1e3));
            }
            long t = CPU.getCurrentThreadCpuTime();
            Encoding enc = tok.encodeWithOffsets(text, false);
            System.out.printf("%s: encode with offsets: %.0f ms%n", model, ms(t));
            t = CPU.getCurrentThreadCpuTime();
            tok.decode(enc.ids());
            System.out.printf("%s: decode: %.0f ms%n", model, ms(t));
        }
        List<String> lines = new ArrayList<>();
        long chars = 0;
        for (String line : text.split("\n")) {
            lines.add(line);
            chars += line.length();
            if (chars > 1_000_000) {
                break;
            }
        }
        for (int round = 0; round < 3; round++) {
            long t = CPU.getCurrentThreadCpuTime();
            TrainedBpe bpe = BpeTrainer.train(lines, BpeTrainer.Config.chatMl(8192));
            System.out.printf("train on %.1f M chars to %d tokens (%d merges): %.0f ms%n", chars / 1e6,
                    bpe.vocab().size(), bpe.merges().size(), ms(t));
        }
    }
}
