package org.eef4j.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the parts of a Hugging Face tokenizer.json that a byte-level BPE tokenizer uses. Anything it cannot honour
 * exactly (another model type, an unknown normalizer...) is refused with the JSON path at fault rather than ignored,
 * since a silently different tokenization would only show up as a worse model.
 */
final class TokenizerJsonReader {

    private final String where;

    TokenizerJsonReader(String where) {
        this.where = where;
    }

    private TokenizerFormatException error(String path, String problem) {
        return new TokenizerFormatException(where + ": " + path + ": " + problem);
    }

    private JsonNode required(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw error(path + "." + field, "missing");
        }
        return value;
    }

    private String text(JsonNode node, String field, String path) {
        JsonNode value = required(node, field, path);
        if (!value.isTextual()) {
            throw error(path + "." + field, "expected a string, found " + value.getNodeType());
        }
        return value.asText();
    }

    private static boolean flag(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asBoolean();
    }

    BpeModel model(JsonNode root) {
        JsonNode model = required(root, "model", "$");
        String type = model.path("type").asText("BPE");
        if (!type.equals("BPE")) {
            throw error("model.type", "\"" + type + "\" is not supported (only byte-level BPE)");
        }
        JsonNode dropout = model.get("dropout");
        if (dropout != null && !dropout.isNull() && dropout.asDouble() > 0) {
            throw error("model.dropout", "BPE dropout makes encoding random; only null or 0 is supported");
        }
        for (String affix : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            JsonNode value = model.get(affix);
            if (value != null && !value.isNull() && !value.asText().isEmpty()) {
                throw error("model." + affix, "not supported for byte-level BPE: \"" + value.asText() + "\"");
            }
        }
        JsonNode vocabNode = required(model, "vocab", "model");
        if (!vocabNode.isObject()) {
            throw error("model.vocab", "expected an object of token to id");
        }
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
            if (!e.getValue().canConvertToInt()) {
                throw error("model.vocab[\"" + e.getKey() + "\"]", "expected an integer id, found " + e.getValue());
            }
            vocab.put(e.getKey(), e.getValue().intValue());
        }
        JsonNode mergesNode = required(model, "merges", "model");
        if (!mergesNode.isArray()) {
            throw error("model.merges", "expected an array");
        }
        List<String[]> merges = new ArrayList<>(mergesNode.size());
        for (int i = 0; i < mergesNode.size(); i++) {
            JsonNode m = mergesNode.get(i);
            String[] pair;
            if (m.isTextual()) {
                pair = m.asText().split(" ", -1);
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                pair = new String[] {m.get(0).asText(), m.get(1).asText()};
            } else {
                pair = null;
            }
            if (pair == null || pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
                throw error("model.merges[" + i + "]", "expected \"left right\" or [\"left\", \"right\"], found " + m);
            }
            merges.add(pair);
        }
        return new BpeModel(vocab, merges, flag(model, "ignore_merges", false), where);
    }

    List<AddedToken> addedTokens(JsonNode root) {
        List<AddedToken> tokens = new ArrayList<>();
        JsonNode added = root.get("added_tokens");
        if (added == null || added.isNull()) {
            return tokens;
        }
        if (!added.isArray()) {
            throw error("added_tokens", "expected an array");
        }
        for (int i = 0; i < added.size(); i++) {
            JsonNode t = added.get(i);
            String path = "added_tokens[" + i + "]";
            JsonNode id = required(t, "id", path);
            if (!id.canConvertToInt() || id.intValue() < 0) {
                throw error(path + ".id", "expected a non-negative integer, found " + id);
            }
            String content = text(t, "content", path);
            if (content.isEmpty()) {
                throw error(path + ".content", "empty");
            }
            tokens.add(new AddedToken(id.intValue(), content, flag(t, "special", false), flag(t, "single_word", false),
                    flag(t, "lstrip", false), flag(t, "rstrip", false), flag(t, "normalized", false)));
        }
        return tokens;
    }

    TextNormalizer normalizer(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = text(node, "type", path);
        return switch (type) {
            case "NFC" -> new TextNormalizer.Unicode(Normalizer.Form.NFC);
            case "NFD" -> new TextNormalizer.Unicode(Normalizer.Form.NFD);
            case "NFKC" -> new TextNormalizer.Unicode(Normalizer.Form.NFKC);
            case "NFKD" -> new TextNormalizer.Unicode(Normalizer.Form.NFKD);
            case "Lowercase" -> new TextNormalizer.Lowercase();
            case "Sequence" -> {
                JsonNode steps = required(node, "normalizers", path);
                List<TextNormalizer> list = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    list.add(normalizer(steps.get(i), path + ".normalizers[" + i + "]"));
                }
                yield new TextNormalizer.Sequence(list);
            }
            default -> throw error(path + ".type", "normalizer \"" + type + "\" is not supported");
        };
    }

    /** Returns the pre-tokenizer; byte-level spelling must be asked for by a ByteLevel step, as BPE here needs it. */
    PreTokenizer preTokenizer(JsonNode root) {
        JsonNode node = root.get("pre_tokenizer");
        if (node == null || node.isNull()) {
            throw error("pre_tokenizer", "missing: a byte-level BPE needs a ByteLevel pre-tokenizer");
        }
        boolean[] seenByteLevel = new boolean[1];
        PreTokenizer p = preTokenizer(node, "pre_tokenizer", seenByteLevel);
        if (!seenByteLevel[0]) {
            throw error("pre_tokenizer", "has no ByteLevel step; only byte-level BPE is supported");
        }
        return p;
    }

    private PreTokenizer preTokenizer(JsonNode node, String path, boolean[] seenByteLevel) {
        String type = text(node, "type", path);
        return switch (type) {
            case "ByteLevel" -> {
                seenByteLevel[0] = true;
                yield new PreTokenizer.ByteLevel(flag(node, "add_prefix_space", false), flag(node, "use_regex", true));
            }
            case "Split" -> {
                if (seenByteLevel[0]) {
                    throw error(path, "a Split after ByteLevel would run on byte-level text; not supported");
                }
                JsonNode pattern = required(node, "pattern", path);
                String regex;
                if (pattern.has("Regex")) {
                    regex = pattern.get("Regex").asText();
                } else if (pattern.has("String")) {
                    regex = java.util.regex.Pattern.quote(pattern.get("String").asText());
                } else {
                    throw error(path + ".pattern", "expected {\"Regex\": ...} or {\"String\": ...}, found " + pattern);
                }
                String behavior = text(node, "behavior", path);
                PreTokenizer.Behavior b = switch (behavior) {
                    case "Removed" -> PreTokenizer.Behavior.REMOVED;
                    case "Isolated" -> PreTokenizer.Behavior.ISOLATED;
                    case "MergedWithPrevious" -> PreTokenizer.Behavior.MERGED_WITH_PREVIOUS;
                    case "MergedWithNext" -> PreTokenizer.Behavior.MERGED_WITH_NEXT;
                    case "Contiguous" -> PreTokenizer.Behavior.CONTIGUOUS;
                    default -> throw error(path + ".behavior", "unknown split behavior \"" + behavior + "\"");
                };
                try {
                    yield new PreTokenizer.Split(PreTokenizer.Split.compile(regex), b, flag(node, "invert", false));
                } catch (PatternSyntaxException e) {
                    throw error(path + ".pattern.Regex", "not a valid regex: " + e.getDescription());
                }
            }
            case "Sequence" -> {
                JsonNode steps = required(node, "pretokenizers", path);
                List<PreTokenizer> list = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    list.add(preTokenizer(steps.get(i), path + ".pretokenizers[" + i + "]", seenByteLevel));
                }
                yield new PreTokenizer.Sequence(list);
            }
            default -> throw error(path + ".type", "pre-tokenizer \"" + type + "\" is not supported");
        };
    }

    PostProcessor postProcessor(JsonNode node, String path, Map<String, Integer> ids) {
        if (node == null || node.isNull()) {
            return PostProcessor.NONE;
        }
        String type = text(node, "type", path);
        return switch (type) {
            case "ByteLevel" -> PostProcessor.NONE;
            case "Sequence" -> {
                JsonNode steps = required(node, "processors", path);
                List<PostProcessor> list = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    list.add(postProcessor(steps.get(i), path + ".processors[" + i + "]", ids));
                }
                yield PostProcessor.concat(list);
            }
            case "TemplateProcessing" -> template(node, path);
            default -> throw error(path + ".type", "post-processor \"" + type + "\" is not supported");
        };
    }

    private PostProcessor template(JsonNode node, String path) {
        JsonNode single = required(node, "single", path);
        JsonNode specials = node.path("special_tokens");
        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        boolean seenSequence = false;
        for (int i = 0; i < single.size(); i++) {
            JsonNode piece = single.get(i);
            String piecePath = path + ".single[" + i + "]";
            if (piece.has("Sequence")) {
                if (!"A".equals(piece.get("Sequence").path("id").asText())) {
                    throw error(piecePath, "a single-sequence template can only hold sequence A");
                }
                seenSequence = true;
            } else if (piece.has("SpecialToken")) {
                String name = text(piece.get("SpecialToken"), "id", piecePath + ".SpecialToken");
                JsonNode special = specials.get(name);
                if (special == null) {
                    throw error(piecePath, "special token \"" + name + "\" is not in " + path + ".special_tokens");
                }
                for (JsonNode id : required(special, "ids", path + ".special_tokens[\"" + name + "\"]")) {
                    (seenSequence ? suffix : prefix).add(id.intValue());
                }
            } else {
                throw error(piecePath, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}, found " + piece);
            }
        }
        return new PostProcessor(prefix.stream().mapToInt(Integer::intValue).toArray(),
                suffix.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Checks the decoder is one whose output we reproduce (byte-level, or none). */
    void checkDecoder(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return;
        }
        String type = text(node, "type", path);
        switch (type) {
            case "ByteLevel" -> { }
            case "Sequence" -> {
                JsonNode steps = required(node, "decoders", path);
                for (int i = 0; i < steps.size(); i++) {
                    checkDecoder(steps.get(i), path + ".decoders[" + i + "]");
                }
            }
            default -> throw error(path + ".type", "decoder \"" + type + "\" is not supported");
        }
    }
}
