package org.eef4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamDecoderTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void piecesJoinToTheFullDecode(String model) {
        Tokenizer tok = Tokenizers.get(model);
        List<int[]> sequences = new ArrayList<>();
        for (String text : Fixtures.resource("corpus.txt").split("\n")) {
            sequences.add(tok.encode(text));
        }
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            sequences.add(random.ints(1 + random.nextInt(10), 0, tok.vocabSize()).toArray());
        }
        for (int[] ids : sequences) {
            for (boolean skip : new boolean[] {false, true}) {
                StreamDecoder stream = tok.streamDecoder(skip);
                StringBuilder sb = new StringBuilder();
                for (int id : ids) {
                    String piece = stream.next(id);
                    assertThat(piece.isEmpty() || !Character.isHighSurrogate(piece.charAt(piece.length() - 1))).isTrue();
                    sb.append(piece);
                }
                sb.append(stream.finish());
                assertThat(sb.toString()).isEqualTo(tok.decode(ids, skip));
            }
        }
    }

    @Test
    void holdsAnEmojiUntilItsLastByte() {
        Tokenizer tok = Tokenizers.get("llama3");
        int[] ids = tok.encode("🧑🏿‍💻");
        assertThat(ids.length).isGreaterThan(1);
        StreamDecoder stream = tok.streamDecoder(false);
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            pieces.add(stream.next(id));
        }
        assertThat(String.join("", pieces) + stream.finish()).isEqualTo("🧑🏿‍💻");
        assertThat(pieces).noneMatch(p -> p.contains("\uFFFD"));
    }

    @Test
    void completeLengthStopsBeforeAnUnfinishedCharacter() {
        assertThat(StreamDecoder.completeLength(new byte[] {'a', (byte) 0xF0, (byte) 0x9F})).isEqualTo(1);
        assertThat(StreamDecoder.completeLength(new byte[] {'a', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}))
                .isEqualTo(5);
        assertThat(StreamDecoder.completeLength(new byte[] {(byte) 0xC3})).isZero();
        assertThat(StreamDecoder.completeLength(new byte[] {(byte) 0x80})).isEqualTo(1);
    }
}
