package org.eef4j.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.objects.date.StrftimeFormatter;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import jinjava.javax.el.CompositeELResolver;

/**
 * A model's chat template (the Jinja "chat_template" of tokenizer_config.json), rendered as transformers'
 * apply_chat_template renders it, and able to say where each message landed in the text.
 *
 * <p>Rendering: jinjava set up to read templates as Jinja2 does under transformers (trim_blocks, lstrip_blocks), with
 * the globals transformers provides (raise_exception, strftime_now, the special tokens, add_generation_prompt),
 * Python's json.dumps as {@code tojson}, Python's str methods and {@code trim}, a transparent {@code {% generation %}}
 * tag, and jinjava's Python-like legacy options (operator precedence, dict iteration, value printing). What jinjava
 * still reads differently is rewritten in the source before parsing: lstrip_blocks and trim_blocks themselves (jinjava
 * also strips spaces before a tag in mid-line), whitespace control on expressions ({@code {{-} and {@code -}}}), a
 * reversed slice {@code x[::-1]}, keyword arguments of {@code namespace(...)} (parenthesized), and printed booleans
 * (True/False). Known differences left: None prints as an empty string (jinjava cannot tell it from undefined), and
 * a literal {@code }}} inside an expression (a nested dict literal) ends the expression. JinjaCompatibilityTest
 * holds the constructs checked against Jinja2.
 *
 * <p>Message spans: the conversation is rendered twice, once as given and once with each message's content wrapped
 * in private-use marker characters (inside its leading and trailing whitespace, so that templates that trim content
 * trim the same characters). The marked rendering, with the markers removed, must equal the plain one, which proves
 * the template treated the marked contents as it treats the real ones; the markers then give each content's exact
 * position. A content the template inspects (Qwen3 tests {@code content.startswith('<tool_response>')}) is marked
 * alone, and if that too changes the text, it is found verbatim between its neighbours' spans. Rendering growing
 * prefixes of the conversation instead is simpler but fails on templates whose output
 * for a message depends on later ones (Qwen3 renders the last assistant turn with a think block and earlier ones
 * without), and transformers' {% generation %} needs templates that carry the tag, which Llama 3's and Qwen3's do not.
 * For templates that do carry it, {@link RenderedChat#generations()} gives its ranges too, found the same way.
 */
public final class ChatTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOW_KEY = "__eef4j_now__";
    private static final String GENERATION_MARKS_KEY = "__eef4j_generation_marks__";
    private static final java.util.regex.Pattern GENERATION_TAG = java.util.regex.Pattern.compile("\\{%-?\\s*generation\\s*-?%}");

    private final String source;
    private final String prepared;
    private final Map<String, Object> specialTokens;
    private final List<String> turnClosers;
    private final Jinjava jinjava;

    private ChatTemplate(String source, Map<String, ?> specialTokens, Collection<String> turnClosers) {
        this.source = source;
        this.prepared = prepareForJinjava(source);
        this.specialTokens = Map.copyOf(specialTokens);
        this.turnClosers = turnClosers.stream().filter(s -> !s.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStrings());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        jinjava = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(false).withLstripBlocks(false)
                .withElResolver(resolver).withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUsePyishObjectMapper(true) // {{ [1, 'a'] }} prints [1, 'a'], as Python does
                        .withUseNaturalOperatorPrecedence(true)
                        .withIterateOverMapKeys(true) // for k in dict: keys, as in Python
                        .withEvaluateMapKeys(true)
                        .withKeepNullableLoopValues(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .build())
                .build());
        var globals = jinjava.getGlobalContext();
        globals.registerFilter(new ToJson());
        globals.registerFilter(new Trim());
        globals.registerTag(new GenerationTag());
        try {
            globals.registerFunction(new ELFunctionDefinition("", "raise_exception",
                    ChatTemplate.class.getDeclaredMethod("raiseException", String.class)));
            globals.registerFunction(new ELFunctionDefinition("", "__py_str",
                    ChatTemplate.class.getDeclaredMethod("pythonStr", Object.class)));
            globals.registerFunction(new ELFunctionDefinition("", "strftime_now",
                    ChatTemplate.class.getDeclaredMethod("strftimeNow", String.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A template with the special tokens it may reference (bos_token, eos_token...) and the special tokens that close
     * a turn, which message spans extend over.
     */
    public static ChatTemplate of(String template, Map<String, String> specialTokens, Collection<String> turnClosers) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("empty chat template");
        }
        return new ChatTemplate(template, specialTokens, turnClosers);
    }

    /**
     * Reads the chat template from a tokenizer_config.json (or the chat_template.jinja beside it, where recent
     * transformers versions save it), or a model directory holding one. Its special tokens
     * become template variables; its end-of-sequence token and the special added tokens whose name says they end
     * something ({@code <|eot_id|>}, {@code <|im_end|>}) close turns.
     */
    public static ChatTemplate load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer_config.json") : path;
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TokenizerFormatException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (root == null || !root.isObject()) {
            throw new TokenizerFormatException(file + ": expected a JSON object");
        }
        JsonNode templateNode = root.get("chat_template");
        String template;
        Path jinjaFile = file.resolveSibling("chat_template.jinja");
        if ((templateNode == null || templateNode.isNull()) && Files.exists(jinjaFile)) {
            try {
                template = Files.readString(jinjaFile); // where recent transformers versions save it
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + jinjaFile, e);
            }
        } else if (templateNode == null || templateNode.isNull()) {
            throw new TokenizerFormatException(file + ": chat_template: missing (and no chat_template.jinja beside it)");
        } else if (templateNode.isTextual()) {
            template = templateNode.asText();
        } else if (templateNode.isArray()) {
            template = null;
            for (JsonNode named : templateNode) {
                if ("default".equals(named.path("name").asText())) {
                    template = named.path("template").asText();
                }
            }
            if (template == null) {
                throw new TokenizerFormatException(file + ": chat_template: a list of templates without a \"default\"");
            }
        } else {
            throw new TokenizerFormatException(file + ": chat_template: expected a string, found " + templateNode.getNodeType());
        }
        Map<String, Object> specials = new LinkedHashMap<>();
        for (String key : List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token",
                "mask_token")) {
            String value = tokenContent(root.get(key));
            if (value != null) {
                specials.put(key, value);
            }
        }
        JsonNode additional = root.get("additional_special_tokens");
        if (additional != null && additional.isArray()) {
            List<String> list = new ArrayList<>();
            additional.forEach(t -> list.add(tokenContent(t)));
            specials.put("additional_special_tokens", list);
        }
        List<String> closers = new ArrayList<>();
        if (specials.get("eos_token") instanceof String eos) {
            closers.add(eos);
        }
        root.path("added_tokens_decoder").forEach(t -> {
            String content = t.path("content").asText("");
            String lower = content.toLowerCase(Locale.ROOT);
            if (t.path("special").asBoolean(false) && (lower.contains("end") || lower.contains("eot"))
                    && !lower.contains("header")) {
                closers.add(content);
            }
        });
        return new ChatTemplate(template, specials, closers);
    }

    private static String tokenContent(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isObject() ? node.path("content").asText(null) : node.asText();
    }

    public String source() {
        return source;
    }

    /** A special token the template can reference, by its tokenizer_config.json key (bos_token, eos_token...). */
    public java.util.Optional<String> specialToken(String key) {
        return specialTokens.get(key) instanceof String s ? java.util.Optional.of(s) : java.util.Optional.empty();
    }

    /** The special tokens that close a turn, longest first: the stop strings for generating a reply. */
    public List<String> turnClosers() {
        return turnClosers;
    }

    /** Renders a conversation to text. */
    public String renderText(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return renderText(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders a conversation to text; {@code variables} adds template variables (tools, enable_thinking, a fixed
     * {@code now} as a ZonedDateTime for strftime_now...).
     */
    public String renderText(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> variables) {
        return renderRaw(messages, addGenerationPrompt, variables, (m, i) -> m.content());
    }

    /** Renders a conversation and locates each message in the text (see the class comment for how). */
    public RenderedChat render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    public RenderedChat render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> variables) {
        String plain = renderText(messages, addGenerationPrompt, variables);
        Markers markers = Markers.avoiding(source, messages);
        int n = messages.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        Arrays.fill(starts, -1);
        Arrays.fill(ends, -1);
        boolean[] located = new boolean[n];
        // An empty content is not marked: markers would make it truthy for the template.
        List<Integer> markable = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (messages.get(i).content() != null && !messages.get(i).content().isEmpty()) {
                markable.add(i);
            }
        }
        // All contents marked at once; when that changes the text (a template testing content.startswith(...)),
        // one content at a time, so that only the messages the template inspects are left to the text search.
        Markers.Parsed all = markedRender(messages, addGenerationPrompt, variables, markers, markable, plain);
        for (int i : markable) {
            Markers.Parsed parsed = all != null ? all
                    : markedRender(messages, addGenerationPrompt, variables, markers, List.of(i), plain);
            if (parsed != null) {
                starts[i] = parsed.starts()[i];
                ends[i] = parsed.ends()[i];
                located[i] = true;
            }
        }
        List<MessageSpan> spans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChatMessage m = messages.get(i);
            String core = m.content() == null ? "" : PythonStrings.strip(m.content(), null, true, true);
            int lower = 0;
            for (int k = i - 1; k >= 0 && lower == 0; k--) {
                lower = Math.max(0, ends[k]);
            }
            int upper = plain.length();
            for (int k = i + 1; k < n && upper == plain.length(); k++) {
                upper = starts[k] >= 0 ? starts[k] : upper;
            }
            int start = starts[i];
            int end = ends[i];
            boolean exact = start >= 0 && end >= 0;
            if (!located[i] && !core.isEmpty()) {
                // The template inspects this content: find it verbatim between its neighbours.
                int at = plain.indexOf(core, lower);
                if (at >= 0 && at + core.length() <= upper) {
                    start = at;
                    end = at + core.length();
                    int again = plain.indexOf(core, at + 1);
                    exact = again < 0 || again + core.length() > upper;
                }
            } else if (start < 0 && end >= 0) {
                // The template cut the front of the content: keep the tail that matches the text.
                start = end - commonSuffix(core, plain, Math.min(lower, end), end);
                while (start < end && PythonStrings.isSpace(plain.charAt(start))) {
                    start++;
                }
            } else if (start >= 0 && end < 0) {
                end = start + commonPrefix(core, plain, start, Math.max(start, upper));
                while (end > start && PythonStrings.isSpace(plain.charAt(end - 1))) {
                    end--;
                }
            }
            if (start < 0 || end < start || m.content() == null) {
                spans.add(MessageSpan.absent(i, m.role()));
                continue;
            }
            starts[i] = start;
            ends[i] = end;
            spans.add(new MessageSpan(i, m.role(), start, end, closeTurn(plain, end), true, exact));
        }
        return new RenderedChat(plain, spans, generations(messages, addGenerationPrompt, variables, markers, plain));
    }

    /**
     * The [start, end) ranges the template wraps in {% generation %}, for templates that carry the tag (none when
     * not). Found with marker characters like the message spans, and checked the same way.
     */
    private List<int[]> generations(List<ChatMessage> messages, boolean addGenerationPrompt,
            Map<String, Object> variables, Markers markers, String plain) {
        if (!GENERATION_TAG.matcher(source).find()) {
            return List.of();
        }
        char open = (char) (markers.base() + 3);
        char close = (char) (markers.base() + 4);
        Map<String, Object> marked = new HashMap<>(variables);
        marked.put(GENERATION_MARKS_KEY, "" + open + close);
        String text = renderRaw(messages, addGenerationPrompt, marked, (m, i) -> m.content());
        List<int[]> ranges = new ArrayList<>();
        StringBuilder clean = new StringBuilder(text.length());
        int start = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == open) {
                start = clean.length();
            } else if (c == close && start >= 0) {
                ranges.add(new int[] {start, clean.length()});
                start = -1;
            } else {
                clean.append(c);
            }
        }
        if (!clean.toString().equals(plain)) {
            throw new TokenizerFormatException("chat template: the text changes when {% generation %} blocks are "
                    + "marked, so their spans cannot be placed");
        }
        return ranges;
    }

    /** Renders with the given messages' contents marked; null when the text then differs from the plain one. */
    private Markers.Parsed markedRender(List<ChatMessage> messages, boolean addGenerationPrompt,
            Map<String, Object> variables, Markers markers, List<Integer> marked, String plain) {
        if (marked.isEmpty()) {
            return null;
        }
        java.util.Set<Integer> set = java.util.Set.copyOf(marked);
        String text;
        try {
            text = renderRaw(messages, addGenerationPrompt, variables, (m, index) -> {
                if (!set.contains(index)) {
                    return m.content();
                }
                String core = PythonStrings.strip(m.content(), null, true, true);
                int lead = core.isEmpty() ? m.content().length() : m.content().indexOf(core);
                return m.content().substring(0, lead) + markers.start(index) + core + markers.end(index)
                        + m.content().substring(lead + core.length());
            });
        } catch (RuntimeException e) {
            return null; // the template refused marked content (raise_exception on a check): fall back
        }
        Markers.Parsed parsed = markers.parse(text, messages.size());
        return parsed.text().equals(plain) ? parsed : null;
    }

    private static int commonSuffix(String core, String text, int lower, int end) {
        int k = 0;
        while (k < core.length() && end - k - 1 >= lower && core.charAt(core.length() - 1 - k) == text.charAt(end - 1 - k)) {
            k++;
        }
        return k;
    }

    private static int commonPrefix(String core, String text, int start, int upper) {
        int k = 0;
        while (k < core.length() && start + k < upper && core.charAt(k) == text.charAt(start + k)) {
            k++;
        }
        return k;
    }

    /** The end of the turn: past the closing special token if one follows the content after only whitespace. */
    private int closeTurn(String text, int contentEnd) {
        int p = contentEnd;
        while (p < text.length() && PythonStrings.isSpace(text.charAt(p))) {
            p++;
        }
        for (String closer : turnClosers) {
            if (text.startsWith(closer, p)) {
                return p + closer.length();
            }
        }
        return contentEnd;
    }

    private String renderRaw(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> variables,
            BiFunction<ChatMessage, Integer, String> content) {
        Map<String, Object> context = new HashMap<>(specialTokens);
        ControlCharacters control = ControlCharacters.of(source, messages);
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String text = content.apply(messages.get(i), i);
            list.add(messages.get(i).toTemplateMap(control == null ? text : control.hide(text)));
        }
        context.put("messages", list);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.putIfAbsent("tools", null);
        context.putIfAbsent("documents", null);
        variables.forEach((k, v) -> context.put(k.equals("now") ? NOW_KEY : k, v));
        if (!variables.containsKey(GENERATION_MARKS_KEY)) {
            context.remove(GENERATION_MARKS_KEY);
        }
        RenderResult result;
        if (control == null) {
            result = jinjava.renderForResult(prepared, context);
        } else {
            control.begin();
            try {
                result = jinjava.renderForResult(prepared, context);
            } finally {
                control.end();
            }
        }
        for (TemplateError error : result.getErrors()) {
            Throwable cause = error.getException();
            while (cause != null && !(cause instanceof TemplateRaised)) {
                cause = cause.getCause();
            }
            if (cause != null) {
                throw new IllegalArgumentException("chat template refused the conversation: " + cause.getMessage());
            }
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TokenizerFormatException("chat template: line " + error.getLineno() + ": "
                        + error.getMessage(), error.getException());
            }
        }
        return control == null ? result.getOutput() : control.reveal(result.getOutput());
    }

    // ---- transformers' globals ------------------------------------------------------------------------------

    /** Thrown by a template's raise_exception(...): the template refuses the conversation. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message);
        }
    }

    public static String raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** What Jinja2 prints for a value where it differs from jinjava: True and False. */
    public static Object pythonStr(Object value) {
        return value instanceof Boolean b ? (b ? "True" : "False") : value;
    }

    public static String strftimeNow(String format) {
        Object now = JinjavaInterpreter.getCurrentMaybe().map(i -> i.getContext().get(NOW_KEY)).orElse(null);
        ZonedDateTime time = now instanceof ZonedDateTime z ? z : ZonedDateTime.now();
        return StrftimeFormatter.format(time, format);
    }

    /** Python's json.dumps, as transformers defines tojson (indent, separators, sort_keys accepted). */
    private static final class ToJson implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return ControlCharacters.jsonEscapes(PythonJson.dumps(var, null, false));
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
            Integer spaces = indent instanceof Number n ? Integer.valueOf(n.intValue()) : null;
            boolean sort = Boolean.TRUE.equals(kwargs.get("sort_keys"));
            return ControlCharacters.jsonEscapes(PythonJson.dumps(var, spaces, sort));
        }
    }

    /** Jinja2's trim is Python's str.strip (Unicode whitespace, or the given characters), not Java's trim. */
    private static final class Trim implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return var == null ? null : PythonStrings.strip(var.toString(), args.length > 0 ? args[0] : null, true, true);
        }
    }

    /**
     * transformers' {% generation %}: the template marks what the assistant generates. It renders its body as is,
     * wrapped in two marker characters when the render asks for generation spans.
     */
    private static final class GenerationTag implements Tag {
        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String getEndTagName() {
            return "endgeneration";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder sb = new StringBuilder();
            Object marks = interpreter.getContext().get(GENERATION_MARKS_KEY);
            if (marks instanceof String m) {
                sb.append(m.charAt(0));
            }
            for (Node child : tagNode.getChildren()) {
                sb.append(child.render(interpreter).getValue());
            }
            if (marks instanceof String m) {
                sb.append(m.charAt(1));
            }
            return sb.toString();
        }
    }

    // ---- source rewrites for jinjava ------------------------------------------------------------------------

    static String prepareForJinjava(String template) {
        String s = unicodeEscapes(blockWhitespace(template));
        // Jinja2's whitespace control on expressions ({{- and -}}), which jinjava leaves to the output as is.
        s = s.replaceAll("\\s*\\{\\{-", "{{").replaceAll("-}}\\s*", "}}");
        s = s.replace("[::-1]", "|reverse|list");
        s = printAsPython(s);
        return parenthesizeKeywordArguments(s, "namespace(");
    }

    /**
     * Jinja2's lstrip_blocks and trim_blocks, done on the source because jinjava's lstrip also strips spaces before
     * a tag in the middle of a line: spaces and tabs from the start of a line to a block or comment tag are dropped,
     * and so is the first newline after one. Strings inside tags are skipped so that a quoted "%}" is left alone.
     */
    static String blockWhitespace(String template) {
        StringBuilder out = new StringBuilder(template.length());
        int n = template.length();
        int i = 0;
        while (i < n) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < n && (template.charAt(i + 1) == '%' || template.charAt(i + 1) == '#'
                    || template.charAt(i + 1) == '{')) {
                char kind = template.charAt(i + 1);
                if (kind != '{' && !(i + 2 < n && template.charAt(i + 2) == '+')) {
                    int lineStart = out.lastIndexOf("\n") + 1;
                    boolean blank = true;
                    for (int k = lineStart; k < out.length() && blank; k++) {
                        blank = out.charAt(k) == ' ' || out.charAt(k) == '\t';
                    }
                    if (blank) {
                        out.setLength(lineStart);
                    }
                }
                char close = kind == '{' ? '}' : kind;
                int end = tagEnd(template, i + 2, close);
                out.append(template, i, end);
                i = end;
                boolean plus = end >= 3 && template.charAt(end - 3) == '+';
                if (kind != '{' && !plus) {
                    if (template.startsWith("\r\n", i)) {
                        i += 2;
                    } else if (i < n && template.charAt(i) == '\n') {
                        i++;
                    }
                }
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /**
     * Replaces the {@code \\uXXXX}, {@code \\UXXXXXXXX} and {@code \\xXX} escapes of string literals inside tags by
     * their characters: Jinja2 reads string literals as Python does, jinjava's lexer rejects these escapes.
     */
    static String unicodeEscapes(String template) {
        StringBuilder out = new StringBuilder(template.length());
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0 || open + 1 >= template.length() || "{%".indexOf(template.charAt(open + 1)) < 0) {
                int next = open < 0 ? template.length() : open + 1;
                out.append(template, i, next);
                i = next;
                continue;
            }
            out.append(template, i, open);
            int end = tagEnd(template, open + 2, template.charAt(open + 1) == '{' ? '}' : '%');
            String tag = template.substring(open, end);
            char quote = 0;
            for (int k = 0; k < tag.length(); k++) {
                char c = tag.charAt(k);
                if (quote != 0 && c == '\\' && k + 1 < tag.length()) {
                    char e = tag.charAt(k + 1);
                    int digits = e == 'u' ? 4 : e == 'U' ? 8 : e == 'x' ? 2 : 0;
                    if (digits > 0 && k + 2 + digits <= tag.length()
                            && tag.substring(k + 2, k + 2 + digits).chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        int cp = Integer.parseInt(tag.substring(k + 2, k + 2 + digits), 16);
                        out.append(cp == quote || cp == '\\' ? "\\" : "").appendCodePoint(cp);
                        k += 1 + digits;
                    } else {
                        out.append(c).append(e);
                        k++;
                    }
                    continue;
                }
                if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                } else if (c == quote) {
                    quote = 0;
                }
                out.append(c);
            }
            i = end;
        }
        return out.toString();
    }

    /** The index just past the tag's closing {@code close}+'}' (or the text's end), skipping quoted strings. */
    private static int tagEnd(String s, int from, char close) {
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if ((c == '\'' || c == '"') && close != '#') {
                quote = c;
            } else if (c == close && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                return i + 2;
            }
        }
        return s.length();
    }

    /**
     * Routes every printed expression through the function {@code __py_str}, so that booleans print as Python's
     * True/False. A function rather than a filter: a filter binds to the last operand only, and jinjava reads a
     * parenthesized dict expression as a tuple.
     */
    static String printAsPython(String template) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (true) {
            int open = template.indexOf("{{", i);
            if (open < 0) {
                return out.append(template.substring(i)).toString();
            }
            int end = tagEnd(template, open + 2, '}');
            if (end > template.length() || !template.startsWith("}}", end - 2)) {
                return out.append(template.substring(i)).toString();
            }
            out.append(template, i, open).append("{{ __py_str(").append(template, open + 2, end - 2).append(") }}");
            i = end;
        }
    }

    /** Wraps the value of each keyword argument of calls to {@code function} in parentheses. */
    static String parenthesizeKeywordArguments(String s, String function) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        int at;
        while ((at = s.indexOf(function, from)) >= 0) {
            int open = at + function.length();
            int close = matchingParen(s, open - 1);
            if (close < 0) {
                break;
            }
            out.append(s, from, open);
            List<String> args = splitTopLevel(s.substring(open, close));
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                int eq = keywordEquals(arg);
                out.append(i > 0 ? "," : "");
                out.append(eq < 0 ? arg : arg.substring(0, eq + 1) + "(" + arg.substring(eq + 1) + ")");
            }
            out.append(')');
            from = close + 1;
        }
        return out.append(s.substring(from)).toString();
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static List<String> splitTopLevel(String args) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(args.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(args.substring(start));
        return parts;
    }

    /** The index of the '=' of "name=value", or -1 when the argument is positional. */
    private static int keywordEquals(String arg) {
        String trimmed = arg.stripLeading();
        int offset = arg.length() - trimmed.length();
        int i = 0;
        while (i < trimmed.length() && (Character.isLetterOrDigit(trimmed.charAt(i)) || trimmed.charAt(i) == '_')) {
            i++;
        }
        int j = i;
        while (j < trimmed.length() && trimmed.charAt(j) == ' ') {
            j++;
        }
        boolean keyword = i > 0 && j < trimmed.length() && trimmed.charAt(j) == '='
                && (j + 1 >= trimmed.length() || trimmed.charAt(j + 1) != '=');
        return keyword ? offset + j : -1;
    }

    // ---- markers -----------------------------------------------------------------------------------------------

    /**
     * Marker strings for message contents: a start or end character, the message index in marker digits, and a
     * terminator, all from a private-use block that appears nowhere in the template or the messages.
     */
    private record Markers(char base) {

        record Parsed(String text, int[] starts, int[] ends) {}

        static Markers avoiding(String template, List<ChatMessage> messages) {
            for (char base : new char[] {'\uE000', '\uE100', '\uE200', '\uF000', '\uF100'}) {
                boolean clash = clashes(template, base);
                for (ChatMessage m : messages) {
                    clash |= clashes(m.content(), base) || clashes(String.valueOf(m.fields()), base);
                }
                if (!clash) {
                    return new Markers(base);
                }
            }
            throw new IllegalArgumentException("messages use every private-use block the span markers could use");
        }

        private static boolean clashes(String s, char base) {
            return s != null && s.chars().anyMatch(c -> c >= base && c < base + 32);
        }

        String start(int index) {
            return base + digits(index);
        }

        String end(int index) {
            return (char) (base + 1) + digits(index);
        }

        private String digits(int index) {
            StringBuilder sb = new StringBuilder();
            for (char c : Integer.toString(index).toCharArray()) {
                sb.append((char) (base + 16 + (c - '0')));
            }
            return sb.append((char) (base + 2)).toString();
        }

        /** Removes the markers, noting where the last start and end of each message's content fell. */
        Parsed parse(String marked, int count) {
            int[] starts = new int[count];
            int[] ends = new int[count];
            Arrays.fill(starts, -1);
            Arrays.fill(ends, -1);
            StringBuilder text = new StringBuilder(marked.length());
            for (int i = 0; i < marked.length(); i++) {
                char c = marked.charAt(i);
                if (c == base || c == base + 1) {
                    int index = 0;
                    int j = i + 1;
                    while (j < marked.length() && marked.charAt(j) >= base + 16 && marked.charAt(j) < base + 26) {
                        index = index * 10 + (marked.charAt(j) - base - 16);
                        j++;
                    }
                    if (j < marked.length() && marked.charAt(j) == base + 2 && index < count) {
                        (c == base ? starts : ends)[index] = text.length();
                        i = j;
                        continue;
                    }
                }
                text.append(c);
            }
            return new Parsed(text.toString(), starts, ends);
        }
    }
}
