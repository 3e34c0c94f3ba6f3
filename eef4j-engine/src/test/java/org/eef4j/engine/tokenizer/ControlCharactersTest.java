package org.eef4j.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Control characters in message contents render raw, as Jinja2 renders them under transformers, through the real
 * chat templates of Llama 3 and Qwen3 (../shared/fixtures/tokenizers): Llama 3's {@code trim} strips the ones Python
 * counts as space (U+001C-U+001F) and keeps the others, Qwen3 keeps all, and {@code tojson} writes json.dumps'
 * escapes. The expected texts were rendered by Jinja2 3.1 with transformers' environment (trim_blocks, lstrip_blocks,
 * loopcontrols, its tojson); characters are written here as {@code <xx>}.
 */
class ControlCharactersTest {

    static final List<ChatMessage> MESSAGES = List.of(
            ChatMessage.system(raw("sys <01> prompt")),
            ChatMessage.user(raw("<1c>WebShop [SEP] a<0e>b<1b>c<08>d<0c>e <7f><85> end<1f>")),
            ChatMessage.assistant(raw("Action: search[a<0e>b]")),
            ChatMessage.user(raw("Observation: <00>x<0b>y")));

    static final Map<String, String> JINJA2 = Map.of(
            "llama3", raw("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nsys <01> prompt<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWebShop [SEP] a<0e>b<1b>c<08>d<0c>e <7f><85> end<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nAction: search[a<0e>b]<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nObservation: <00>x<0b>y<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"),
            "qwen3", raw("<|im_start|>system\nsys <01> prompt<|im_end|>\n<|im_start|>user\n<1c>WebShop [SEP] a<0e>b<1b>c<08>d<0c>e <7f><85> end<1f><|im_end|>\n<|im_start|>assistant\nAction: search[a<0e>b]<|im_end|>\n<|im_start|>user\nObservation: <00>x<0b>y<|im_end|>\n<|im_start|>assistant\n"));

    /** {@code <xx>} as the character U+00xx. */
    static String raw(String s) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<([0-9a-f]{2})>").matcher(s);
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Test
    void controlCharactersRenderRawAsInJinja2() {
        for (Map.Entry<String, String> e : JINJA2.entrySet()) {
            Path dir = Path.of(System.getProperty("eef4j.shared", "../shared"), "fixtures", "tokenizers", e.getKey());
            Assumptions.assumeTrue(Files.isDirectory(dir), "skipped: needs " + dir);
            ChatTemplate template = ChatTemplate.load(dir);
            assertThat(template.renderText(MESSAGES, true)).as(e.getKey()).isEqualTo(e.getValue());
            // the spans still find each content where it landed
            RenderedChat chat = template.render(MESSAGES, true);
            MessageSpan reply = chat.spans().get(2);
            assertThat(chat.text().substring(reply.contentStart(), reply.contentEnd()))
                    .isEqualTo(MESSAGES.get(2).content());
        }
    }

    @Test
    void tojsonWritesJsonDumpsEscapes() {
        ChatTemplate t = ChatTemplate.of("{{ messages[1]['content'] | tojson }}", Map.of(), List.of());
        assertThat(t.renderText(MESSAGES, false))
                .isEqualTo(raw("\"\\u001cWebShop [SEP] a\\u000eb\\u001bc\\bd\\fe <7f><85> end\\u001f\""));
    }

    @Test
    void privateUseTextAndContentsWithoutControlCharactersAreUntouched() {
        ChatTemplate t = ChatTemplate.of("{% for m in messages %}[{{ m['content'] | trim }}]{% endfor %}", Map.of(),
                List.of());
        String privateUse = "\uE300\uE30e x";
        assertThat(t.renderText(List.of(ChatMessage.user(privateUse), ChatMessage.user(raw("a<0e><1c>"))), false))
                .isEqualTo("[" + privateUse + "][" + raw("a<0e>") + "]");
    }
}
