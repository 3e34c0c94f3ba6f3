package org.eef4j.engine.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tokenizer learnt by {@link BpeTrainer}, written in the Hugging Face formats so that it opens in the Python
 * ecosystem (transformers, tokenizers) as well as here.
 *
 * @param vocab byte-level token strings to ids, in id order
 * @param merges the learnt merges in rank order, each as its two byte-level strings
 * @param pattern the pre-tokenizer regex the merges were learnt under
 */
public record TrainedBpe(List<String> specialTokens, Map<String, Integer> vocab, List<String[]> merges, String pattern) {

    /** ChatML, the turn format of the default special tokens: {@code <|im_start|>role\ncontent<|im_end|>\n}. */
    public static final String CHATML_TEMPLATE = """
            {%- for message in messages %}
            {{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}
            {%- endfor %}
            {%- if add_generation_prompt %}
            {{- '<|im_start|>assistant\\n' }}
            {%- endif %}
            """;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public TrainedBpe {
        specialTokens = List.copyOf(specialTokens);
        vocab = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vocab));
        merges = List.copyOf(merges);
    }

    /**
     * tokenizer.json in the layout the Hugging Face library writes: version, truncation, padding, added_tokens (the
     * special tokens, matched before anything else), normalizer (none), pre_tokenizer (Split on {@link #pattern}
     * keeping each match, then ByteLevel spelling), post_processor and decoder (ByteLevel), and model (BPE with vocab
     * and merges, each merge as "left right": byte-level tokens hold no space, and every version of the library
     * reads that form).
     */
    public String tokenizerJson() {
        ObjectNode root = NODES.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : specialTokens) {
            ObjectNode t = added.addObject();
            t.put("id", vocab.get(special));
            t.put("content", special);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", pattern);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        steps.add(byteLevel(false, true, false));
        root.set("post_processor", byteLevel(true, false, true));
        root.set("decoder", byteLevel(true, true, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocabNode = model.putObject("vocab");
        vocab.forEach(vocabNode::put);
        ArrayNode mergeNode = model.putArray("merges");
        merges.forEach(m -> mergeNode.add(m[0] + " " + m[1]));
        return write(root);
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets, boolean useRegex) {
        ObjectNode node = NODES.objectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", addPrefixSpace);
        node.put("trim_offsets", trimOffsets);
        node.put("use_regex", useRegex);
        return node;
    }

    /**
     * tokenizer_config.json as transformers reads it: the tokenizer class, the special tokens by role (the first
     * special token ends texts and pads; the third, ChatML's {@code <|im_end|>}, ends turns when present), the
     * added_tokens_decoder, and a ChatML chat template.
     */
    public String tokenizerConfigJson() {
        ObjectNode root = NODES.objectNode();
        root.put("tokenizer_class", "PreTrainedTokenizerFast");
        root.put("add_bos_token", false);
        root.put("add_eos_token", false);
        root.put("clean_up_tokenization_spaces", false);
        root.putNull("bos_token");
        String eos = specialTokens.contains("<|im_end|>") ? "<|im_end|>"
                : specialTokens.isEmpty() ? null : specialTokens.getFirst();
        root.put("eos_token", eos);
        root.put("pad_token", specialTokens.isEmpty() ? null : specialTokens.getFirst());
        root.putNull("unk_token");
        ObjectNode decoder = root.putObject("added_tokens_decoder");
        for (String special : specialTokens) {
            ObjectNode t = decoder.putObject(String.valueOf(vocab.get(special)));
            t.put("content", special);
            t.put("lstrip", false);
            t.put("normalized", false);
            t.put("rstrip", false);
            t.put("single_word", false);
            t.put("special", true);
        }
        if (specialTokens.containsAll(List.of("<|im_start|>", "<|im_end|>"))) {
            root.put("chat_template", CHATML_TEMPLATE);
        }
        return write(root);
    }

    private static String write(ObjectNode root) {
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes tokenizer.json and tokenizer_config.json into a directory (created if needed). */
    public void save(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("tokenizer.json"), tokenizerJson(), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("tokenizer_config.json"), tokenizerConfigJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer to " + directory, e);
        }
    }

    /** The tokenizer itself, ready to encode. */
    public Tokenizer tokenizer() {
        return Tokenizer.fromJson(tokenizerJson(), "trained tokenizer");
    }
}
