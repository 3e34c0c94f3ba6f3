package org.eef4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Llama 3 and Qwen3 chat templates rendered by jinjava must give the very text Jinja2 gives under transformers'
 * settings. The expected texts were produced by resources tokenizer/chat/render_expected.py (its docstring has the
 * command) with Python's jinja2.
 */
class ChatTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(String name, boolean addGenerationPrompt, List<ChatMessage> messages, Map<String, Object> variables,
            String expected) {}

    @SuppressWarnings("unchecked") // the JSON of conversations.json: maps and lists of known shape
    static List<Case> cases(String model) throws Exception {
        List<Map<String, Object>> conversations = JSON.readValue(Fixtures.resource("chat/conversations.json"),
                new TypeReference<>() {});
        List<Map<String, Object>> expected = JSON.readValue(Fixtures.resource("chat/expected-" + model + ".json"),
                new TypeReference<>() {});
        List<Case> cases = new ArrayList<>();
        for (Map<String, Object> e : expected) {
            Map<String, Object> conv = conversations.stream().filter(c -> c.get("name").equals(e.get("name")))
                    .findFirst().orElseThrow();
            List<ChatMessage> messages = new ArrayList<>();
            for (Object o : (List<?>) conv.get("messages")) {
                Map<String, Object> fields = new LinkedHashMap<>((Map<String, Object>) o);
                String role = (String) fields.remove("role");
                String content = (String) fields.remove("content");
                messages.add(new ChatMessage(role, content, fields));
            }
            Map<String, Object> variables = new HashMap<>();
            if (conv.get("tools") != null) {
                variables.put("tools", conv.get("tools"));
            }
            if (conv.get("kwargs") != null) {
                variables.putAll((Map<String, Object>) conv.get("kwargs"));
            }
            cases.add(new Case((String) e.get("name"), (Boolean) e.get("add_generation_prompt"), messages, variables,
                    (String) e.get("text")));
        }
        return cases;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void rendersAsJinja2Does(String model) throws Exception {
        ChatTemplate template = ChatTemplate.load(Fixtures.tokenizerDir(model));
        for (Case c : cases(model)) {
            assertThat(template.renderText(c.messages(), c.addGenerationPrompt(), c.variables()))
                    .as("%s, add_generation_prompt=%s", c.name(), c.addGenerationPrompt()).isEqualTo(c.expected());
        }
    }
}
