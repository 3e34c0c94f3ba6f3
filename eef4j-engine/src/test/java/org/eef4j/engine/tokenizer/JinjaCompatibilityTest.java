package org.eef4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jinja constructs found in the chat templates of common models, each rendered by our jinjava set-up and compared
 * with Jinja2's rendering under transformers' settings (resources tokenizer/chat/render_snippets.py wrote them).
 */
class JinjaCompatibilityTest {

    private static final List<ChatMessage> MESSAGES = List.of(ChatMessage.system("sys"), ChatMessage.user(" hi "),
            ChatMessage.assistant("yo"), ChatMessage.user("more"));

    @Test
    void snippetsRenderAsInJinja2() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode snippets = json.readTree(Fixtures.resource("chat/snippets.json"));
        JsonNode expected = json.readTree(Fixtures.resource("chat/expected-snippets.json"));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            String name = snippets.get(i).path("name").asText();
            String want = expected.get(i).path("text").asText();
            String got;
            try {
                got = ChatTemplate.of(snippets.get(i).path("template").asText(), Map.of(), List.of())
                        .renderText(MESSAGES, false);
            } catch (RuntimeException e) {
                got = "<" + e + ">";
            }
            if (!got.equals(want)) {
                failures.add(name + ": expected " + TokenizerParityTest.show(want) + " but was "
                        + TokenizerParityTest.show(got));
            }
        }
        assertThat(failures).isEmpty();
    }
}
