package org.eef4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our tokenizer against the Hugging Face library on the real Llama 3 and Qwen3 tokenizer.json files: the same ids for
 * prose, code, numbers, whitespace, many scripts, emoji, combining marks and special tokens inside text, and the same
 * text back from decoding.
 */
class TokenizerParityTest {

    /** Pieces that stress the pre-tokenizer regex and the added-token scan when glued together at random. */
    private static final String[] PIECES = {" ", "  ", "   ", "\n", "\n\n", "\r\n", "\t", " \n", "a", "Z", "word", "Hello",
        "é", "e\u0301", "\u0301", "1", "12", "1234567", "3.14", "'s", "'S", "'ll", "'LL", "'d", "'", "ſ", "中", "文字",
        "😀", "👍🏽", "👨‍👩‍👧", "<|im_start|>", "<|im_end|>", "<|eot_id|>", "<|begin_of_text|>", "<think>", "<|", "|>", "<",
        ".", "!!", "?", "...", "_", "-", "$", "\u00a0", "\u3000", "\u2028", "\u200d", "سلام", "ß", "İ", "Ω", "ﬁ", "\u1100",
        "\u1161", "Å", "A\u030a", "#", "{", "}", "\"", "\\", "/", "\u0000", "\u007f", "\ufeff", "\u0085", "\u000b",
        "\u000c", "\u001c", "\u001f", "\u2029", "\u180e", "\u202f", "\u205f", "\u2000", "½", "²", "١٢", "Ⅻ", "ǅ", "K"};

    private static List<String> texts() {
        String corpus = Fixtures.resource("corpus.txt");
        List<String> texts = new ArrayList<>();
        texts.add(corpus);
        texts.addAll(List.of(corpus.split("\n\n")));
        texts.addAll(List.of(corpus.split("\n")));
        Random random = new Random(42);
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(12);
            for (int k = 0; k < n; k++) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            }
            texts.add(sb.toString());
        }
        texts.add("");
        texts.add(" ".repeat(5000) + "x" + "\n".repeat(300) + "9".repeat(4000) + "=".repeat(3000));
        return texts;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void encodesLikeHuggingFace(String model) {
        Path dir = Fixtures.tokenizerDir(model);
        Tokenizer ours = Tokenizers.get(model);
        {
            HfOracle hf = HfOracle.shared(dir.resolve("tokenizer.json"));
            for (String text : texts()) {
                assertThat(ours.encode(text)).as("ids of %s", show(text)).containsExactly(hf.encode(text, false));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void encodesProductCatalogueLikeHuggingFace(String model) throws IOException {
        Path products = Fixtures.shared("data/webshop-1k/products.jsonl");
        Path dir = Fixtures.tokenizerDir(model);
        Tokenizer ours = Tokenizers.get(model);
        HfOracle hf = HfOracle.shared(dir.resolve("tokenizer.json"));
        try (Stream<String> lines = Files.lines(products)) {
            List<String> sample = lines.limit(400).toList();
            for (String line : sample) {
                assertThat(ours.encode(line)).as("ids of %s", show(line)).containsExactly(hf.encode(line, false));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void decodesLikeHuggingFaceAndRoundTrips(String model) {
        Path dir = Fixtures.tokenizerDir(model);
        Tokenizer ours = Tokenizers.get(model);
        {
            HfOracle hf = HfOracle.shared(dir.resolve("tokenizer.json"));
            for (String text : texts()) {
                int[] ids = ours.encode(text);
                // Qwen normalizes to NFC, so the text comes back in that form.
                String expected = model.equals("qwen3") ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
                assertThat(ours.decode(ids)).as("round trip of %s", show(text)).isEqualTo(expected);
                assertThat(ours.decode(ids, true)).as("skip-special decode of %s", show(text))
                        .isEqualTo(hf.decode(ids, true));
            }
            // Arbitrary id sequences cut characters in the middle: the invalid bytes must become U+FFFD as there.
            Random random = new Random(7);
            for (int i = 0; i < 2000; i++) {
                int[] ids = random.ints(1 + random.nextInt(8), 0, ours.vocabSize()).toArray();
                assertThat(ours.decode(ids, false)).as("decode of %s", java.util.Arrays.toString(ids))
                        .isEqualTo(hf.decode(ids, false));
                assertThat(ours.decode(ids, true)).isEqualTo(hf.decode(ids, true));
            }
        }
    }

    static String show(String text) {
        String s = text.length() > 120 ? text.substring(0, 120) + "...(" + text.length() + " chars)" : text;
        return "\"" + s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
    }
}
