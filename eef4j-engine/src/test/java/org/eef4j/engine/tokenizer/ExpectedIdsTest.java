package org.eef4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our ids against the Hugging Face library's, recorded once by {@link ExpectedIdsWriter}: the check that still runs
 * where the library's native code cannot load (TokenizerParityTest then skips).
 */
class ExpectedIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void matchesRecordedHuggingFaceIds(String model) throws Exception {
        Tokenizer tok = Tokenizers.get(model);
        JsonNode root = new ObjectMapper().readTree(Fixtures.resource("expected-ids-" + model + ".json"));
        assertThat(root.path("format").asText()).isEqualTo("eef4j-expected-ids");
        assertThat(root.path("cases").size()).isGreaterThan(5);
        for (JsonNode c : root.path("cases")) {
            String text = c.path("text").asText();
            int[] expected = new int[c.path("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.path("ids").get(i).asInt();
            }
            assertThat(tok.encode(text)).as("ids of %s", TokenizerParityTest.show(text)).containsExactly(expected);
        }
    }
}
