package org.eef4j.engine.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of a conversation, as chat templates see it: a role, a content, and any further fields a template reads
 * (tool_calls, reasoning_content, name...), which are passed through untouched.
 *
 * @param content the text; null for a message that has none (an assistant turn that only calls tools)
 */
public record ChatMessage(String role, String content, Map<String, Object> fields) {

    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("a chat message needs a role");
        }
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        if (fields.containsKey("role") || fields.containsKey("content")) {
            throw new IllegalArgumentException("role and content are given as record components, not as fields");
        }
    }

    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, Map.of());
    }

    public static ChatMessage system(String content) {
        return of("system", content);
    }

    public static ChatMessage user(String content) {
        return of("user", content);
    }

    public static ChatMessage assistant(String content) {
        return of("assistant", content);
    }

    /** The message as the dict a template iterates over, with {@code content} replaced. */
    Map<String, Object> toTemplateMap(String shownContent) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", role);
        map.put("content", shownContent);
        map.putAll(fields);
        return map;
    }
}
