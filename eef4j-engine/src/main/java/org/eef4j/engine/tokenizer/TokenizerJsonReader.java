package org.eef4j.engine.tokenizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    /**
     * A tokenizer.json read in one pass: the model's vocab and merges go straight into collections (they are nearly
     * all of the file, and a JSON tree of them costs seconds and hundreds of MB); the rest becomes a tree. vocab and
     * merges are null when absent or not of the expected JSON type (the tree then holds them, for the error message).
     */
    record Document(ObjectNode root, Map<String, Integer> vocab, List<String[]> merges) {}

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES) // 128k vocab keys are not field names worth interning
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());

    Document read(String json) {
        try (JsonParser p = MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error("$", "expected a JSON object at the top level");
            }
            ObjectNode root = MAPPER.createObjectNode();
            Map<String, Integer> vocab = null;
            List<String[]> merges = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("model") || value != JsonToken.START_OBJECT) {
                    root.set(name, MAPPER.readTree(p));
                    continue;
                }
                ObjectNode model = root.putObject("model");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken token = p.nextToken();
                    if (field.equals("vocab") && token == JsonToken.START_OBJECT) {
                        vocab = readVocab(p);
                        model.putObject("vocab");
                    } else if (field.equals("merges") && token == JsonToken.START_ARRAY) {
                        merges = readMerges(p);
                        model.putArray("merges");
                    } else {
                        model.set(field, MAPPER.readTree(p));
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw error("$", "unexpected content after the top-level object");
            }
            return new Document(root, vocab, merges);
        } catch (JsonProcessingException e) {
            throw new TokenizerFormatException(where + ": not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Integer> readVocab(JsonParser p) throws IOException {
        Map<String, Integer> vocab = new HashMap<>(1 << 18);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String token = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                throw error("model.vocab[\"" + token + "\"]", "expected an integer id, found " + MAPPER.readTree(p));
            }
            vocab.put(token, p.getIntValue());
        }
        return vocab;
    }

    private List<String[]> readMerges(JsonParser p) throws IOException {
        List<String[]> merges = new ArrayList<>(1 << 18);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            String[] pair = null;
            if (t == JsonToken.VALUE_STRING) {
                pair = p.getText().split(" ", -1);
            } else if (t == JsonToken.START_ARRAY) {
                JsonNode node = MAPPER.readTree(p);
                if (node.size() == 2 && node.get(0).isTextual() && node.get(1).isTextual()) {
                    pair = new String[] {node.get(0).asText(), node.get(1).asText()};
                } else {
                    throw badMerge(merges.size(), node.toString());
                }
            } else {
                throw badMerge(merges.size(), String.valueOf(MAPPER.readTree(p)));
            }
            if (pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
                throw badMerge(merges.size(), "\"" + p.getText() + "\"");
            }
            merges.add(pair);
        }
        return merges;
    }

    private TokenizerFormatException badMerge(int index, String found) {
        return error("model.merges[" + index + "]", "expected \"left right\" or [\"left\", \"right\"], found " + found);
    }

    BpeModel model(Document doc) {
        JsonNode model = required(doc.root(), "model", "$");
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
        if (doc.vocab() == null) {
            required(model, "vocab", "model");
            throw error("model.vocab", "expected an object of token to id");
        }
        if (doc.merges() == null) {
            required(model, "merges", "model");
            throw error("model.merges", "expected an array");
        }
        return new BpeModel(doc.vocab(), doc.merges(), flag(model, "ignore_merges", false), where);
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

    PostProcessor postProcessor(JsonNode node, String path) {
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
                    list.add(postProcessor(steps.get(i), path + ".processors[" + i + "]"));
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
