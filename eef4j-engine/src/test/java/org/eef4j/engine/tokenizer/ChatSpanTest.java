package org.eef4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Message spans: where each message's content and closing token landed, in characters and in tokens. */
class ChatSpanTest {

    private static final List<ChatMessage> WEBSHOP = List.of(
            ChatMessage.user("WebShop [SEP] Instruction: [SEP] i need a long clip-in hair extension [SEP] Search"),
            ChatMessage.assistant("Thought: I should search.\nAction: search[long clip-in hair extension]"),
            ChatMessage.user("Observation: [Back to Search] [B09QQLDJ93] 22\" Long Clip-in Hair Extensions $12.99"),
            ChatMessage.assistant("Action: click[B09QQLDJ93]"),
            ChatMessage.user("Observation: You have clicked it."),
            ChatMessage.assistant("Action: click[B09QQLDJ93]"));

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3"})
    void assistantMaskCoversExactlyContentAndClosingToken(String model) {
        ChatTemplate template = ChatTemplate.load(Fixtures.tokenizerDir(model));
        Tokenizer tokenizer = Tokenizers.get(model);
        String closer = model.equals("llama3") ? "<|eot_id|>" : "<|im_end|>";
        RenderedChat rendered = template.render(WEBSHOP, false);
        assertThat(rendered.text()).isEqualTo(template.renderText(WEBSHOP, false));
        for (MessageSpan span : rendered.spans()) {
            String content = WEBSHOP.get(span.index()).content();
            assertThat(span.exact()).isTrue();
            assertThat(rendered.text().substring(span.contentStart(), span.contentEnd())).isEqualTo(content);
            assertThat(rendered.text().substring(span.contentStart(), span.end())).isEqualTo(content + closer);
        }
        TokenizedChat chat = rendered.tokenize(tokenizer);
        assertThat(chat.ids()).containsExactly(tokenizer.encode(rendered.text()));
        boolean[] mask = chat.assistantMask();
        StringBuilder masked = new StringBuilder();
        int runs = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                int j = i;
                while (j < mask.length && mask[j]) {
                    j++;
                }
                masked.append(tokenizer.decode(Arrays.copyOfRange(chat.ids(), i, j))).append('|');
                runs++;
                i = j;
            }
        }
        assertThat(runs).isEqualTo(3);
        assertThat(masked.toString()).isEqualTo(
                WEBSHOP.get(1).content() + closer + "|" + WEBSHOP.get(3).content() + closer + "|"
                        + WEBSHOP.get(5).content() + closer + "|");
        assertThat(chat.spans()).allMatch(TokenizedChat.TokenSpan::exact);
    }

    @Test
    void turnClosersAndSpecialTokensComeFromTheConfig() {
        ChatTemplate llama = ChatTemplate.load(Fixtures.tokenizerDir("llama3"));
        assertThat(llama.turnClosers()).containsExactlyInAnyOrder("<|eot_id|>", "<|end_of_text|>");
        assertThat(llama.specialToken("bos_token")).contains("<|begin_of_text|>");
        ChatTemplate qwen = ChatTemplate.load(Fixtures.tokenizerDir("qwen3"));
        assertThat(qwen.turnClosers()).contains("<|im_end|>", "<|endoftext|>").doesNotContain("<|im_start|>");
        assertThat(qwen.specialToken("bos_token")).isEmpty();
    }

    @Test
    void llamaTrimsContentAndTheSpanFollows() {
        ChatTemplate template = ChatTemplate.load(Fixtures.tokenizerDir("llama3"));
        List<ChatMessage> messages = List.of(ChatMessage.user("  \n padded question \t\n"),
                ChatMessage.assistant("\n\n  padded answer  \n"));
        RenderedChat rendered = template.render(messages, false);
        MessageSpan answer = rendered.spans().get(1);
        assertThat(rendered.text().substring(answer.contentStart(), answer.end())).isEqualTo("padded answer<|eot_id|>");
        assertThat(answer.exact()).isTrue();
    }

    @Test
    void qwenKeepsTheLastThinkBlockAndDropsEarlierOnes() {
        ChatTemplate template = ChatTemplate.load(Fixtures.tokenizerDir("qwen3"));
        List<ChatMessage> messages = List.of(ChatMessage.user("What is 2+2?"),
                ChatMessage.assistant("<think>\nSimple arithmetic.\n</think>\n\n4"), ChatMessage.user("And 3+3?"),
                ChatMessage.assistant("<think>\nAgain simple.\n</think>\n\n6"));
        RenderedChat rendered = template.render(messages, false);
        MessageSpan first = rendered.spans().get(1);
        MessageSpan last = rendered.spans().get(3);
        // The earlier turn lost its reasoning: only the answer is left, found by matching, not by marker.
        assertThat(rendered.text().substring(first.contentStart(), first.end())).isEqualTo("4<|im_end|>");
        assertThat(first.exact()).isFalse();
        // The last turn is rendered whole (the template rebuilds its think block around the reasoning).
        assertThat(rendered.text().substring(last.contentStart(), last.end()))
                .isEqualTo("<think>\nAgain simple.\n</think>\n\n6<|im_end|>");
    }

    @Test
    void qwenToolResponsesInspectedByTheTemplateAreFoundByText() {
        ChatTemplate template = ChatTemplate.load(Fixtures.tokenizerDir("qwen3"));
        List<ChatMessage> messages = List.of(ChatMessage.user("Find socks."),
                ChatMessage.assistant("Action: search[socks]"),
                ChatMessage.user("<tool_response>\n3 results\n</tool_response>"),
                ChatMessage.assistant("Action: click[1]"));
        RenderedChat rendered = template.render(messages, true);
        assertThat(rendered.text()).isEqualTo(template.renderText(messages, true));
        for (MessageSpan span : rendered.spans()) {
            assertThat(rendered.text().substring(span.contentStart(), span.contentEnd()))
                    .isEqualTo(messages.get(span.index()).content());
        }
    }

    @Test
    void emptyContentHasNoSpanAndToolCallsStillRender() {
        ChatTemplate template = ChatTemplate.load(Fixtures.tokenizerDir("qwen3"));
        List<ChatMessage> messages = List.of(ChatMessage.user("Search for socks."),
                new ChatMessage("assistant", "", Map.of("tool_calls",
                        List.of(Map.of("function", Map.of("name", "search", "arguments", Map.of("query", "socks")))))));
        RenderedChat rendered = template.render(messages, false);
        assertThat(rendered.text()).contains("<tool_call>\n{\"name\": \"search\", \"arguments\": {\"query\": \"socks\"}}");
        assertThat(rendered.spans().get(1).rendered()).isFalse();
        assertThat(rendered.spans().get(0).rendered()).isTrue();
    }

    @Test
    void raiseExceptionRefusesTheConversation() {
        ChatTemplate template = ChatTemplate.of(
                "{% for m in messages %}{% if m.role == 'tool' %}{{ raise_exception('no tools here') }}{% endif %}"
                        + "{{ m.content }}{% endfor %}",
                Map.of(), List.of());
        assertThat(template.renderText(List.of(ChatMessage.user("hi")), false)).isEqualTo("hi");
        assertThatThrownBy(() -> template.renderText(List.of(ChatMessage.of("tool", "x")), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no tools here");
    }

    @Test
    void brokenTemplateNamesTheLine() {
        ChatTemplate template = ChatTemplate.of("line one\n{% for m in messages %}{{ m.content }}", Map.of(), List.of());
        assertThatThrownBy(() -> template.renderText(List.of(ChatMessage.user("hi")), false))
                .isInstanceOf(TokenizerFormatException.class).hasMessageContaining("line");
    }

    @Test
    void loadsChatTemplateJinjaBesideTheConfigAndRejectsBadJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
        java.nio.file.Files.writeString(dir.resolve("chat_template.jinja"),
                "{% for m in messages %}{{ m.content }}{{ eos_token }}{% endfor %}");
        ChatTemplate template = ChatTemplate.load(dir);
        assertThat(template.renderText(List.of(ChatMessage.user("a"), ChatMessage.assistant("b")), false))
                .isEqualTo("a</s>b</s>");
        assertThat(template.render(List.of(ChatMessage.assistant("b")), false).spans().getFirst().end()).isEqualTo(5);
        java.nio.file.Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": ");
        assertThatThrownBy(() -> ChatTemplate.load(dir)).isInstanceOf(TokenizerFormatException.class)
                .hasMessageContaining("tokenizer_config.json: not valid JSON");
        java.nio.file.Files.delete(dir.resolve("chat_template.jinja"));
        java.nio.file.Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
        assertThatThrownBy(() -> ChatTemplate.load(dir)).hasMessageContaining("chat_template: missing");
    }

    @Test
    void generationBlocksGiveTheTemplatesOwnAssistantMask() {
        ChatTemplate template = ChatTemplate.of("{% for m in messages %}{{ m.role }}: {% if m.role == 'assistant' %}"
                + "{% generation %}{{ m.content }}{{ eos_token }}{% endgeneration %}{% else %}{{ m.content }}{% endif %}\n"
                + "{% endfor %}", Map.of("eos_token", "<|eot_id|>"), List.of("<|eot_id|>"));
        List<ChatMessage> chat = List.of(ChatMessage.user("Find socks"), ChatMessage.assistant("search[socks]"),
                ChatMessage.user("3 results"), ChatMessage.assistant("click[1]"));
        RenderedChat rendered = template.render(chat, false);
        assertThat(rendered.text()).isEqualTo(template.renderText(chat, false)).doesNotContain("generation");
        assertThat(rendered.generations()).extracting(g -> rendered.text().substring(g[0], g[1]))
                .containsExactly("search[socks]<|eot_id|>", "click[1]<|eot_id|>");
        Tokenizer tok = Tokenizers.get("llama3");
        TokenizedChat tokens = rendered.tokenize(tok);
        assertThat(tokens.generationMask()).containsExactly(tokens.assistantMask());
        assertThat(ChatTemplate.of("{{ messages[0].content }}", Map.of(), List.of())
                .render(chat, false).generations()).isEmpty();
    }

    @Test
    void strftimeNowUsesTheGivenClock() {
        ChatTemplate template = ChatTemplate.of("Today is {{ strftime_now('%d %b %Y') }}.", Map.of(), List.of());
        var now = java.time.ZonedDateTime.parse("2026-01-02T03:04:05Z");
        assertThat(template.renderText(List.of(), false, Map.of("now", now))).isEqualTo("Today is 02 Jan 2026.");
    }
}
