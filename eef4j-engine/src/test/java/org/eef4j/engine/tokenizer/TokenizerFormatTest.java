package org.eef4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed or unsupported tokenizer.json files are refused with the file and JSON path at fault. */
class TokenizerFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A tiny valid byte-level BPE: the 256 bytes, one merge "a b" -> "ab", and one special token. */
    private static ObjectNode tiny() {
        TrainedBpe bpe = BpeTrainer.train(List.of("ab ab ab"), new BpeTrainer.Config(258, List.of("<s>"), 2));
        try {
            return (ObjectNode) JSON.readTree(bpe.tokenizerJson());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Tokenizer read(ObjectNode root) {
        return Tokenizer.fromJson(root.toString(), "bad/tokenizer.json");
    }

    @Test
    void tinyTokenizerWorks() {
        Tokenizer tok = read(tiny());
        assertThat(tok.vocabSize()).isEqualTo(258);
        assertThat(tok.encode("<s>ab")).containsExactly(0, 257);
        assertThat(tok.decode(new int[] {0, 257}, true)).isEqualTo("ab");
    }

    @Test
    void notJson() {
        assertThatThrownBy(() -> Tokenizer.fromJson("{\"model\": ", "bad/tokenizer.json"))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("bad/tokenizer.json")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void missingModel() {
        ObjectNode root = tiny();
        root.remove("model");
        assertThatThrownBy(() -> read(root)).hasMessage("bad/tokenizer.json: $.model: missing");
    }

    @Test
    void mergeOfUnknownToken() {
        ObjectNode root = tiny();
        root.withObject("model").withArray("merges").add("a zz");
        assertThatThrownBy(() -> read(root)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("model.merges[1]").hasMessageContaining("\"zz\" is not in model.vocab");
    }

    @Test
    void mergeOfWrongShape() {
        ObjectNode root = tiny();
        root.withObject("model").withArray("merges").add("a b c");
        assertThatThrownBy(() -> read(root)).hasMessageContaining("model.merges[1]")
                .hasMessageContaining("expected \"left right\"");
        ObjectNode other = tiny();
        other.withObject("model").withArray("merges").addArray().add("a");
        assertThatThrownBy(() -> read(other)).hasMessageContaining("model.merges[1]");
    }

    @Test
    void vocabIdNotAnInteger() {
        ObjectNode root = tiny();
        root.withObject("model").withObject("vocab").put("zz", "seven");
        assertThatThrownBy(() -> read(root)).hasMessageContaining("model.vocab[\"zz\"]")
                .hasMessageContaining("expected an integer id");
    }

    @Test
    void duplicateVocabId() {
        ObjectNode root = tiny();
        root.withObject("model").withObject("vocab").put("zz", 5);
        assertThatThrownBy(() -> read(root)).hasMessageContaining("id 5 given to both");
    }

    @Test
    void unsupportedParts() {
        ObjectNode wordPiece = tiny();
        wordPiece.withObject("model").put("type", "WordPiece");
        assertThatThrownBy(() -> read(wordPiece)).hasMessageContaining("model.type")
                .hasMessageContaining("\"WordPiece\" is not supported");
        ObjectNode normalizer = tiny();
        normalizer.putObject("normalizer").put("type", "Precompiled");
        assertThatThrownBy(() -> read(normalizer)).hasMessageContaining("normalizer.type")
                .hasMessageContaining("Precompiled");
        ObjectNode noByteLevel = tiny();
        noByteLevel.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers");
        assertThatThrownBy(() -> read(noByteLevel)).hasMessageContaining("no ByteLevel step");
        ObjectNode badRegex = tiny();
        ((ObjectNode) badRegex.withObject("pre_tokenizer").withArray("pretokenizers").get(0))
                .putObject("pattern").put("Regex", "([a-z");
        assertThatThrownBy(() -> read(badRegex)).hasMessageContaining("pre_tokenizer.pretokenizers[0].pattern.Regex")
                .hasMessageContaining("not a valid regex");
    }

    @Test
    void addedTokenWithoutContent() {
        ObjectNode root = tiny();
        ((ObjectNode) root.withArray("added_tokens").get(0)).remove("content");
        assertThatThrownBy(() -> read(root)).hasMessage("bad/tokenizer.json: added_tokens[0].content: missing");
    }

    @Test
    void missingFileSaysWhich(@TempDir Path dir) {
        assertThatThrownBy(() -> Tokenizer.load(dir)).hasMessageContaining(dir.resolve("tokenizer.json").toString());
    }

    @Test
    void templateProcessingAddsBeginOfTextOnlyWhenAsked(@TempDir Path dir) throws Exception {
        // Llama 3 as shipped by Meta: the same file with TemplateProcessing putting <|begin_of_text|> first.
        Path llama = Fixtures.tokenizerDir("llama3").resolve("tokenizer.json");
        ObjectNode root = (ObjectNode) JSON.readTree(llama.toFile());
        root.set("post_processor", JSON.readTree("""
                {"type": "TemplateProcessing",
                 "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                 "pair": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                          {"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                 "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [128000], "tokens": ["<|begin_of_text|>"]}}}
                """));
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, root.toString());
        Tokenizer ours = Tokenizer.load(file);
        String text = "Hello world";
        assertThat(ours.encode(text, true)).startsWith(128000).hasSize(ours.encode(text).length + 1);
        assertThat(ours.encode(text, false)).doesNotContain(128000);
        try (HfOracle hf = HfOracle.open(file)) {
            assertThat(ours.encode(text, true)).containsExactly(hf.encode(text, true));
            assertThat(ours.encode(text, false)).containsExactly(hf.encode(text, false));
        }
    }
}
