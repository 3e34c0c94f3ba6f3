package org.eef4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Token offsets point back at the text each token came from, across special tokens, emoji and normalization. */
class EncodingOffsetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void offsetsCoverTheTextInOrder(String model) {
        Tokenizer tok = Tokenizers.get(model);
        for (String text : Fixtures.resource("corpus.txt").split("\n\n")) {
            Encoding enc = tok.encodeWithOffsets(text, false);
            assertThat(enc.ids()).containsExactly(tok.encode(text));
            int covered = 0;
            for (int i = 0; i < enc.size(); i++) {
                assertThat(enc.starts()[i]).as("token %d of %s", i, TokenizerParityTest.show(text))
                        .isLessThanOrEqualTo(covered).isLessThan(enc.ends()[i]);
                covered = Math.max(covered, enc.ends()[i]);
            }
            assertThat(covered).isEqualTo(text.length());
            // Tokens whose range holds whole characters decode to exactly that text (no NFC change here for llama3).
            for (int i = 0; i < enc.size(); i++) {
                String piece = text.substring(enc.starts()[i], enc.ends()[i]);
                String decoded = tok.decode(new int[] {enc.ids()[i]});
                if (!decoded.contains("\uFFFD") && model.equals("llama3")) {
                    assertThat(decoded).isEqualTo(piece);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void loneSurrogatesKeepOffsetsAligned(String model) {
        Tokenizer tok = Tokenizers.get(model);
        String text = "a\uD83D b \uDE00c 😀 end";
        Encoding enc = tok.encodeWithOffsets(text, false);
        assertThat(enc.ends()[enc.size() - 1]).isEqualTo(text.length());
        assertThat(text.substring(enc.starts()[enc.size() - 1], enc.ends()[enc.size() - 1])).isEqualTo(" end");
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen3"})
    void normalizedTextMapsBackToTheOriginal(String model) {
        Tokenizer tok = Tokenizers.get(model);
        String text = "cafe\u0301 <|im_end|> A\u030angstro\u0308m";
        Encoding enc = tok.encodeWithOffsets(text, false);
        int special = Arrays.stream(enc.ids()).boxed().toList().indexOf(tok.id("<|im_end|>").orElseThrow());
        assertThat(text.substring(enc.starts()[special], enc.ends()[special])).isEqualTo("<|im_end|>");
        assertThat(enc.ends()[enc.size() - 1]).isEqualTo(text.length());
        int[] span = enc.tokenSpan(text.indexOf('<'), text.indexOf('>') + 1);
        assertThat(span[1] - span[0]).isEqualTo(1);
        assertThat(enc.isBoundary(text.indexOf('<'))).isTrue();
    }
}
