package org.eef4j.engine.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Learns a byte-level BPE tokenizer from a corpus, for models trained from scratch.
 *
 * <p>The text is cut as Llama 3's tokenizer cuts it (special tokens first, then its pre-tokenizer regex), words are
 * counted, and merges are learnt by the standard pair-count algorithm: count every adjacent pair of symbols over all
 * words (weighted by word frequency), merge the most frequent pair, and update the counts only in the words that held
 * it. The most frequent pair comes from a heap whose stale entries are re-pushed with their current count when they
 * surface. Ties go to the pair of smaller ids (earlier-made tokens, bytes by value), so training is deterministic.
 *
 * <p>Ids: the special tokens first, in the order given; then the 256 bytes in byte order (so any text encodes); then
 * one token per merge, in merge order.
 */
public final class BpeTrainer {

    /** Llama 3's pre-tokenizer regex: contractions, words, numbers in groups of up to three digits, punctuation, spaces. */
    public static final String LLAMA3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /**
     * Whole words without the space before them: letters, single digits, single punctuation characters and runs of
     * whitespace each form their own piece. A word then has the same tokens wherever it stands: after a space in an
     * instruction, after "[" in {@code search[...]}, before a comma. Llama 3's pattern glues one leading non-letter to
     * a word (" short", "[short" are unrelated tokens), which a large pretrained model has learnt to map; a small model
     * trained from scratch has to copy words from its context and cannot learn that for words it has never seen.
     * Spaces cost a token each.
     */
    public static final String WHOLE_WORDS_PATTERN = "\\p{L}+|\\p{N}|[^\\s\\p{L}\\p{N}]|\\s+";

    /**
     * Whole words, except that a word followed by a colon and a space keeps them: "size: large" is "size: " then
     * "large". In WebShop's instructions and the engine student's option clicks a value follows its name this way
     * ("with color: white, and size: large", {@code click[size: large]}). Finding the value of a name is then the
     * plainest induction a transformer learns (find the earlier occurrence of this token, copy the next one); under
     * {@link #WHOLE_WORDS_PATTERN} the token before every value is the same space, and the match has to reach three
     * tokens back.
     */
    public static final String NAMED_WORDS_PATTERN = "\\p{L}+: |" + WHOLE_WORDS_PATTERN;

    /** The patterns by the names configs and the command line give them. */
    private static final Map<String, String> PATTERNS_BY_NAME = Map.of(
            "llama3", LLAMA3_PATTERN, "whole_words", WHOLE_WORDS_PATTERN, "named_words", NAMED_WORDS_PATTERN);

    /** The pattern a config or command names: llama3, whole_words or named_words; empty for any other name. */
    public static Optional<String> pattern(String name) {
        return Optional.ofNullable(PATTERNS_BY_NAME.get(name));
    }

    /** A pre-tokenizer pattern's name for run records: "llama3", "whole words", "named words", or "custom". */
    public static String patternName(String pattern) {
        return PATTERNS_BY_NAME.entrySet().stream().filter(e -> e.getValue().equals(pattern))
                .map(e -> e.getKey().replace('_', ' ')).findFirst().orElse("custom");
    }

    /** ChatML's control tokens, the default special tokens: end of text, then the start and end of a turn. */
    public static final List<String> CHATML_SPECIAL_TOKENS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>");

    /**
     * Training settings.
     *
     * @param vocabSize the vocabulary size to reach, special tokens and the 256 bytes included
     * @param specialTokens matched whole in text and never merged with anything; the first ends a text
     * @param minPairCount a pair seen fewer times is not merged (2: a pair seen once is a memorized accident)
     * @param pattern the pre-tokenizer regex ({@link #LLAMA3_PATTERN}, {@link #WHOLE_WORDS_PATTERN},
     *     {@link #NAMED_WORDS_PATTERN}); merges never cross its pieces, and the tokenizer.json written applies it too
     */
    public record Config(int vocabSize, List<String> specialTokens, int minPairCount, String pattern) {
        public Config(int vocabSize, List<String> specialTokens, int minPairCount) {
            this(vocabSize, specialTokens, minPairCount, LLAMA3_PATTERN);
        }

        public Config {
            PreTokenizer.Split.compile(pattern); // a bad regex fails here, not halfway through a corpus
            specialTokens = List.copyOf(specialTokens);
            if (specialTokens.stream().anyMatch(String::isEmpty) || specialTokens.stream().distinct().count() != specialTokens.size()) {
                throw new IllegalArgumentException("special tokens must be distinct and non-empty: " + specialTokens);
            }
            if (vocabSize < 256 + specialTokens.size()) {
                throw new IllegalArgumentException("vocabSize " + vocabSize + " is below the 256 bytes plus "
                        + specialTokens.size() + " special tokens");
            }
            if (minPairCount < 1) {
                throw new IllegalArgumentException("minPairCount must be at least 1: " + minPairCount);
            }
        }

        /** A ChatML tokenizer of the given size. */
        public static Config chatMl(int vocabSize) {
            return new Config(vocabSize, CHATML_SPECIAL_TOKENS, 2);
        }

        /** This config with another pre-tokenizer regex. */
        public Config withPattern(String regex) {
            return new Config(vocabSize, specialTokens, minPairCount, regex);
        }
    }

    private BpeTrainer() {}

    /** Learns merges from the texts until the vocabulary reaches its size or no pair is frequent enough. */
    public static TrainedBpe train(Iterable<String> texts, Config config) {
        int specials = config.specialTokens().size();
        int firstByte = specials;
        // 1. Count words, cutting as the tokenizer will cut at encoding time.
        AddedTokenMatcher matcher = new AddedTokenMatcher(config.specialTokens().stream()
                .map(s -> AddedToken.special(0, s)).toList());
        PreTokenizer split = new PreTokenizer.Split(PreTokenizer.Split.compile(config.pattern()),
                PreTokenizer.Behavior.ISOLATED, false);
        Map<String, Integer> wordCounts = new HashMap<>();
        for (String text : texts) {
            for (AddedTokenMatcher.Piece piece : matcher.split(text, 0, text.length())) {
                if (piece.token() != null) {
                    continue;
                }
                for (PreTokenizer.Word w : split.split(text, List.of(new PreTokenizer.Word(piece.start(), piece.end(), false)))) {
                    wordCounts.merge(text.substring(w.start(), w.end()), 1, Integer::sum);
                }
            }
        }
        // Words in a fixed order (by text) so that nothing depends on hash order.
        String[] wordTexts = wordCounts.keySet().toArray(String[]::new);
        Arrays.sort(wordTexts);
        int[][] words = new int[wordTexts.length][];
        int[] lengths = new int[wordTexts.length];
        long[] counts = new long[wordTexts.length];
        for (int w = 0; w < wordTexts.length; w++) {
            byte[] bytes = wordTexts[w].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            words[w] = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                words[w][i] = firstByte + (bytes[i] & 0xFF);
            }
            lengths[w] = bytes.length;
            counts[w] = wordCounts.get(wordTexts[w]);
        }
        // 2. Initial pair counts and where each pair occurs.
        Map<Long, PairStats> pairs = new HashMap<>();
        for (int w = 0; w < words.length; w++) {
            for (int i = 0; i + 1 < lengths[w]; i++) {
                PairStats s = pairs.computeIfAbsent(mix(PairMap.key(words[w][i], words[w][i + 1])), k -> new PairStats());
                s.count += counts[w];
                s.addWord(w);
            }
        }
        PriorityQueue<long[]> heap = new PriorityQueue<>(BpeTrainer::compareEntries);
        pairs.forEach((mixed, s) -> heap.add(new long[] {s.count, unmix(mixed)}));
        // 3. Merge until the vocabulary is full.
        List<String> tokens = new ArrayList<>(config.specialTokens());
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevel.charOf(b)));
        }
        List<int[]> merges = new ArrayList<>();
        int[] seen = new int[words.length];
        int stamp = 0;
        while (tokens.size() < config.vocabSize() && !heap.isEmpty()) {
            long[] top = heap.poll();
            PairStats stats = pairs.get(mix(top[1]));
            long current = stats == null ? 0 : stats.count;
            if (current != top[0]) {
                if (current > 0) {
                    heap.add(new long[] {current, top[1]});
                }
                continue;
            }
            if (current < config.minPairCount()) {
                break;
            }
            int left = (int) (top[1] >>> 32);
            int right = (int) top[1];
            int merged = tokens.size();
            tokens.add(tokens.get(left) + tokens.get(right));
            merges.add(new int[] {left, right});
            // Re-count only the words holding the pair: remove their old pairs, merge, add their new pairs.
            stamp++;
            Map<Long, Long> delta = new HashMap<>();
            int[] holders = Arrays.copyOf(stats.words, stats.size);
            for (int w : holders) {
                if (seen[w] == stamp) {
                    continue;
                }
                seen[w] = stamp;
                int[] sym = words[w];
                int n = lengths[w];
                boolean found = false;
                for (int i = 0; i + 1 < n; i++) {
                    if (sym[i] == left && sym[i + 1] == right) {
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    continue; // a stale holder: an earlier merge took the pair out of this word
                }
                for (int i = 0; i + 1 < n; i++) {
                    delta.merge(PairMap.key(sym[i], sym[i + 1]), -counts[w], Long::sum);
                }
                int m = 0;
                for (int i = 0; i < n; i++) {
                    if (i + 1 < n && sym[i] == left && sym[i + 1] == right) {
                        sym[m++] = merged;
                        i++;
                    } else {
                        sym[m++] = sym[i];
                    }
                }
                lengths[w] = m;
                for (int i = 0; i + 1 < m; i++) {
                    long key = PairMap.key(sym[i], sym[i + 1]);
                    delta.merge(key, counts[w], Long::sum);
                    if (sym[i] == merged || sym[i + 1] == merged) {
                        pairs.computeIfAbsent(mix(key), k -> new PairStats()).addWord(w);
                    }
                }
            }
            for (Map.Entry<Long, Long> d : delta.entrySet()) {
                if (d.getValue() == 0) {
                    continue;
                }
                PairStats s = pairs.computeIfAbsent(mix(d.getKey()), k -> new PairStats());
                s.count += d.getValue();
                if (d.getValue() > 0) {
                    heap.add(new long[] {s.count, d.getKey()}); // only pairs with the new token gain counts
                }
                if (s.count == 0) {
                    pairs.remove(mix(d.getKey()));
                }
            }
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int id = 0; id < tokens.size(); id++) {
            vocab.put(tokens.get(id), id);
        }
        List<String[]> mergeStrings = merges.stream()
                .map(m -> new String[] {tokens.get(m[0]), tokens.get(m[1])}).toList();
        return new TrainedBpe(config.specialTokens(), vocab, mergeStrings, config.pattern());
    }

    private static final long MIX = 0x9E3779B97F4A7C15L;
    private static final long UNMIX = inverse(MIX);

    /**
     * Pair keys are spread before they go into a HashMap: Long.hashCode of (left << 32 | right) is left ^ right, which
     * puts (a, b) and (b, a) and many more in one bucket. Multiplying by an odd constant is a bijection on longs.
     */
    private static long mix(long key) {
        return key * MIX;
    }

    private static long unmix(long mixed) {
        return mixed * UNMIX;
    }

    /** The multiplicative inverse of an odd number modulo 2^64, by Newton's iteration. */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 5; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    /** Most frequent first; ties to the smaller (left, right) pair of ids. */
    private static int compareEntries(long[] a, long[] b) {
        if (a[0] != b[0]) {
            return Long.compare(b[0], a[0]);
        }
        return Long.compare(a[1], b[1]); // ids are non-negative, so the packed key orders by (left, right)
    }

    /** A pair's weighted count and the words it was seen in (may hold stale or repeated entries). */
    private static final class PairStats {
        long count;
        int[] words = new int[4];
        int size;

        void addWord(int w) {
            if (size > 0 && words[size - 1] == w) {
                return;
            }
            if (size == words.length) {
                words = Arrays.copyOf(words, size * 2);
            }
            words[size++] = w;
        }
    }
}
