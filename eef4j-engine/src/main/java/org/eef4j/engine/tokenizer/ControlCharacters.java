package org.eef4j.engine.tokenizer;

import java.util.List;

/**
 * Control characters through jinjava as Jinja2 passes them: raw. jinjava prints a string by serialising it as JSON and
 * unescaping only the common escapes, so U+0000-U+001F other than tab, newline and carriage return come out as
 * {@code \u000E}. Jinja2 writes the characters themselves, and a token server renders them so: a conversation holding
 * one (a WebShop page with a stray U+000E) then tokenizes otherwise than the server's rendering.
 *
 * <p>So message contents reach the template with each such character replaced by a stand-in from a private-use block
 * that appears nowhere in the template or the messages, and the rendered text gets the characters back. What a
 * template does with a content is unchanged where it cannot see the difference: Python's whitespace test holds for the
 * stand-ins of the control characters that are whitespace (U+000B, U+000C, U+001C-U+001F: {@code trim}, {@code
 * strip}), and {@code tojson} writes the escapes json.dumps writes for the originals. A jinjava option to print
 * strings raw would be the right fix; 2.8 has none.
 */
final class ControlCharacters {

    private static final char[] BASES = {'\uE300', '\uE400', '\uF200', '\uF300'};

    /** The stand-in block of the rendering on this thread, 0 when none (jinjava renders on the caller's thread). */
    private static final ThreadLocal<Character> ACTIVE = ThreadLocal.withInitial(() -> (char) 0);

    private final char base;

    private ControlCharacters(char base) {
        this.base = base;
    }

    /** The stand-ins for a rendering of these messages, or null when no content holds a character to hide. */
    static ControlCharacters of(String template, List<ChatMessage> messages) {
        if (messages.stream().noneMatch(m -> needsHiding(m.content()))) {
            return null;
        }
        for (char b : BASES) {
            boolean clash = clashes(template, b);
            for (ChatMessage m : messages) {
                clash |= clashes(m.content(), b) || clashes(String.valueOf(m.fields()), b);
            }
            if (!clash) {
                return new ControlCharacters(b);
            }
        }
        throw new IllegalArgumentException("messages with control characters use every private-use block eef4j's"
                + " template rendering could stand them in with");
    }

    private static boolean clashes(String s, char base) {
        return s != null && s.chars().anyMatch(c -> c >= base && c < base + 32);
    }

    static boolean needsHiding(String s) {
        if (s == null) return false;
        for (int i = 0; i < s.length(); i++) {
            if (hidden(s.charAt(i))) return true;
        }
        return false;
    }

    private static boolean hidden(char c) {
        return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
    }

    String hide(String s) {
        if (s == null) return null;
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(hidden(c) ? (char) (base + c) : c);
        }
        return out.toString();
    }

    String reveal(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= base && c < base + 32 ? (char) (c - base) : c);
        }
        return out.toString();
    }

    /** Makes this block the one {@link #isSpace} and {@link #jsonEscapes} see on this thread, until {@link #end}. */
    void begin() {
        ACTIVE.set(base);
    }

    void end() {
        ACTIVE.remove();
    }

    /** Whether {@code c} stands in, during this thread's rendering, for a control character Python counts as space. */
    static boolean isHiddenSpace(int c) {
        char b = ACTIVE.get();
        if (b == 0 || c < b || c >= b + 32) return false;
        int original = c - b;
        return original == 0x0B || original == 0x0C || (original >= 0x1C && original <= 0x1F);
    }

    /** json.dumps' escapes for the stand-ins in a tojson output (\b, \f, else \\u00xx). */
    static String jsonEscapes(String json) {
        char b = ACTIVE.get();
        if (b == 0) return json;
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c >= b && c < b + 32) {
                int original = c - b;
                out.append(switch (original) {
                    case 0x08 -> "\\b";
                    case 0x0C -> "\\f";
                    default -> String.format("\\u%04x", original);
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
