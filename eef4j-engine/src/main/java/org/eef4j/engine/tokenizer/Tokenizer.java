package org.eef4j.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A byte-level BPE tokenizer read from a Hugging Face tokenizer.json (GPT-2, Llama 3, Qwen2/3 and the files
 * {@link BpeTrainer} writes), encoding and decoding exactly as the Hugging Face tokenizers library does.
 *
 * <p>Encoding runs the library's stages in its order: added tokens that match raw text are cut out first; each
 * stretch between them is normalized, then cut again at added tokens that match normalized text; the pre-tokenizer
 * cuts the rest into words; each word is spelled in bytes and merged by BPE. Instances are immutable apart from an
 * internal word cache, and safe to share between threads.
 */
public final class Tokenizer {

    private final BpeModel model;
    private final TextNormalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final PostProcessor postProcessor;
    private final boolean byteLevelDecoder;
    private final List<AddedToken> addedTokens;
    private final Map<Integer, AddedToken> addedById = new HashMap<>();
    private final Map<String, AddedToken> addedByContent = new HashMap<>();
    private final AddedTokenMatcher rawMatcher;
    private final AddedTokenMatcher normalizedMatcher;
    private final int vocabSize;

    private Tokenizer(String json, String where) {
        TokenizerJsonReader reader = new TokenizerJsonReader(where);
        TokenizerJsonReader.Document doc = reader.read(json);
        JsonNode root = doc.root();
        model = reader.model(doc);
        addedTokens = List.copyOf(reader.addedTokens(root));
        for (AddedToken t : addedTokens) {
            addedById.put(t.id(), t);
            addedByContent.put(t.content(), t);
        }
        normalizer = reader.normalizer(root.get("normalizer"), "normalizer");
        preTokenizer = reader.preTokenizer(root);
        postProcessor = reader.postProcessor(root.get("post_processor"), "post_processor");
        reader.checkDecoder(root.get("decoder"), "decoder");
        byteLevelDecoder = root.hasNonNull("decoder");
        rawMatcher = new AddedTokenMatcher(addedTokens.stream().filter(t -> !t.normalized()).toList());
        normalizedMatcher = new AddedTokenMatcher(addedTokens.stream().filter(AddedToken::normalized).toList());
        int maxAdded = addedTokens.stream().mapToInt(AddedToken::id).max().orElse(-1);
        vocabSize = Math.max(model.vocabSize(), maxAdded + 1);
    }

    /**
     * Loads a tokenizer from a tokenizer.json, or from a model directory holding one.
     *
     * @throws TokenizerFormatException when the file is malformed or asks for something this tokenizer cannot do
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Tokenizer load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + file, e);
        }
    }

    /** Reads a tokenizer.json given as text; {@code where} names it in error messages. */
    public static Tokenizer fromJson(String json, String where) {
        return new Tokenizer(json, where);
    }

    /** Encodes text as it is, adding no special tokens: what chat-templated text (which holds its own) needs. */
    public int[] encode(String text) {
        return encode(text, false);
    }

    /**
     * Encodes text; with {@code addSpecialTokens} the post-processor's tokens are added too (Llama 3's template
     * processing puts {@code <|begin_of_text|>} first), as the Hugging Face library's default encode does.
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        return run(text, addSpecialTokens, false).ids();
    }

    /** Encodes text and reports the range of text each token came from (see {@link Encoding}). */
    public Encoding encodeWithOffsets(String text, boolean addSpecialTokens) {
        return run(text, addSpecialTokens, true);
    }

    private Encoding run(String text, boolean addSpecialTokens, boolean wantOffsets) {
        IntList ids = new IntList(text.length() / 3 + 8);
        IntList starts = wantOffsets ? new IntList(ids.capacity()) : null;
        IntList ends = wantOffsets ? new IntList(ids.capacity()) : null;
        if (addSpecialTokens) {
            for (int id : postProcessor.prefix()) {
                add(ids, starts, ends, id, 0, 0);
            }
        }
        for (AddedTokenMatcher.Piece raw : rawMatcher.split(text, 0, text.length())) {
            if (raw.token() != null) {
                add(ids, starts, ends, raw.token().id(), raw.start(), raw.end());
                continue;
            }
            TextNormalizer.Aligned aligned =
                    TextNormalizer.align(normalizer, text.substring(raw.start(), raw.end()), raw.start());
            String norm = aligned.text();
            for (AddedTokenMatcher.Piece piece : normalizedMatcher.split(norm, 0, norm.length())) {
                if (piece.token() != null) {
                    add(ids, starts, ends, piece.token().id(), aligned.start(piece.start()), aligned.end(piece.end()));
                    continue;
                }
                List<PreTokenizer.Word> words =
                        preTokenizer.split(norm, List.of(new PreTokenizer.Word(piece.start(), piece.end(), false)));
                for (PreTokenizer.Word w : words) {
                    String spelled = w.prefixSpace() ? " " + norm.substring(w.start(), w.end())
                            : norm.substring(w.start(), w.end());
                    BpeModel.Word encoded = model.encodeWord(spelled);
                    if (!wantOffsets) {
                        ids.addAll(encoded.ids());
                    } else {
                        addWithOffsets(ids, starts, ends, encoded, spelled, w, aligned);
                    }
                }
            }
        }
        if (addSpecialTokens) {
            for (int id : postProcessor.suffix()) {
                add(ids, starts, ends, id, text.length(), text.length());
            }
        }
        return wantOffsets ? new Encoding(ids.toArray(), starts.toArray(), ends.toArray())
                : new Encoding(ids.toArray(), new int[ids.size()], new int[ids.size()]);
    }

    private static void add(IntList ids, IntList starts, IntList ends, int id, int start, int end) {
        ids.add(id);
        if (starts != null) {
            starts.add(start);
            ends.add(end);
        }
    }

    /** Maps each token's bytes back to the characters of the word, then to the original text. */
    private static void addWithOffsets(IntList ids, IntList starts, IntList ends, BpeModel.Word encoded,
            String spelled, PreTokenizer.Word w, TextNormalizer.Aligned aligned) {
        int[] charOfByte = new int[spelled.length() * 4 + 1];
        int[] charEndOfByte = new int[charOfByte.length];
        int bytes = 0;
        for (int c = 0; c < spelled.length(); ) {
            int cp = spelled.codePointAt(c);
            int width = Character.charCount(cp);
            // UTF-8 length; a lone surrogate is encoded by Java as '?', one byte.
            int n = cp < 0x80 || Character.isSurrogate((char) cp) && width == 1 && cp < 0x10000 ? 1
                    : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            for (int k = 0; k < n; k++) {
                charOfByte[bytes] = c;
                charEndOfByte[bytes] = c + width;
                bytes++;
            }
            c += width;
        }
        int shift = w.prefixSpace() ? 1 : 0;
        int b = 0;
        for (int t = 0; t < encoded.ids().length; t++) {
            int len = encoded.byteLengths()[t];
            int charStart = Math.max(0, charOfByte[b] - shift) + w.start();
            int charEnd = Math.max(0, charEndOfByte[b + len - 1] - shift) + w.start();
            add(ids, starts, ends, encoded.ids()[t], aligned.start(charStart), aligned.end(charEnd));
            b += len;
        }
    }

    /** Decodes ids to text, keeping special tokens (the Hugging Face default). */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * Decodes ids to text. Bytes that do not form valid UTF-8 (a sequence cut inside a character) become U+FFFD, as in
     * the library. Ids outside the vocabulary are skipped.
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        if (!byteLevelDecoder) {
            List<String> tokens = new ArrayList<>();
            for (int id : ids) {
                String token = visibleToken(id, skipSpecialTokens);
                if (token != null) {
                    tokens.add(token);
                }
            }
            return String.join(" ", tokens);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            appendBytes(id, skipSpecialTokens, bytes);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Appends the bytes a token stands for; returns false when the token is skipped or unknown. */
    boolean appendBytes(int id, boolean skipSpecialTokens, ByteArrayOutputStream out) {
        String token = visibleToken(id, skipSpecialTokens);
        if (token == null) {
            return false;
        }
        if (byteLevelDecoder) {
            ByteLevel.appendBytes(token, out);
        } else {
            out.writeBytes(((out.size() > 0 ? " " : "") + token).getBytes(StandardCharsets.UTF_8));
        }
        return true;
    }

    /**
     * A decoder for ids that arrive one at a time (generation): it returns text as soon as it is complete, holding
     * back the bytes of a character split across tokens, and its pieces join to what {@link #decode} gives.
     */
    public StreamDecoder streamDecoder(boolean skipSpecialTokens) {
        return new StreamDecoder(this, skipSpecialTokens);
    }

    private String visibleToken(int id, boolean skipSpecialTokens) {
        AddedToken added = addedById.get(id);
        if (added != null) {
            return skipSpecialTokens && added.special() ? null : added.content();
        }
        String token = model.token(id);
        if (token != null && skipSpecialTokens) {
            AddedToken sameContent = addedByContent.get(token);
            if (sameContent != null && sameContent.special()) {
                return null;
            }
        }
        return token;
    }

    boolean isByteLevel() {
        return byteLevelDecoder;
    }

    /** Vocabulary size including added tokens: one more than the largest id. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The id of a token given as its vocabulary string (byte-level spelling) or as an added token's content. */
    public OptionalInt id(String token) {
        AddedToken added = addedByContent.get(token);
        if (added != null) {
            return OptionalInt.of(added.id());
        }
        Integer id = model.id(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The vocabulary string of an id (byte-level spelling for model tokens), or null when unknown. */
    public String token(int id) {
        AddedToken added = addedById.get(id);
        return added != null ? added.content() : model.token(id);
    }

    public List<AddedToken> addedTokens() {
        return addedTokens;
    }

    /** Whether the id is a special added token (skipped by {@code decode(ids, true)}). */
    public boolean isSpecial(int id) {
        AddedToken added = addedById.get(id);
        return added != null && added.special();
    }

    /** A growable int array, so that encoding does not box every id. */
    private static final class IntList {
        private int[] items;
        private int size;

        IntList(int capacity) {
            items = new int[Math.max(8, capacity)];
        }

        int capacity() {
            return items.length;
        }

        int size() {
            return size;
        }

        void add(int value) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = value;
        }

        void addAll(int[] values) {
            if (size + values.length > items.length) {
                items = Arrays.copyOf(items, Math.max(size * 2, size + values.length));
            }
            System.arraycopy(values, 0, items, size, values.length);
            size += values.length;
        }

        int[] toArray() {
            return Arrays.copyOf(items, size);
        }
    }
}
