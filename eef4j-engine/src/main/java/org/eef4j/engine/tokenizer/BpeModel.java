package org.eef4j.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte-level BPE model: a vocabulary of byte-level strings and a ranked list of merges. A pre-token (a "word") is
 * spelled in bytes, then the lowest-ranked adjacent pair is merged, leftmost first, until no pair merges: the same
 * order as the Hugging Face library's heap-based merge, so that the result is identical even for merge lists whose
 * ranks are not monotone. Words are cached, since text repeats its words.
 */
final class BpeModel {

    /** One encoded word: the token ids and, for offsets, how many UTF-8 bytes of the word each token covers. */
    record Word(int[] ids, int[] byteLengths) {}

    /** Cache bound: a corpus has a long tail of words; past this the cache is dropped rather than grown without end. */
    private static final int CACHE_LIMIT = 200_000;

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final PairMap merges;
    private final int[] byteToId = new int[256];
    private final boolean ignoreMerges;
    private final Map<String, Word> cache = new ConcurrentHashMap<>();

    /**
     * @param vocab byte-level token string to id
     * @param merges pairs in rank order, each as its two byte-level strings
     * @param ignoreMerges when a whole word is in the vocabulary, take it as one token without merging (Llama 3)
     * @param where the file, for error messages
     */
    BpeModel(Map<String, Integer> vocab, List<String[]> merges, boolean ignoreMerges, String where) {
        this.vocab = vocab; // the reader's own map, not shared with anyone
        this.ignoreMerges = ignoreMerges;
        int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        idToToken = new String[maxId + 1];
        vocab.forEach((token, id) -> {
            if (id < 0) {
                throw new TokenizerFormatException(where + ": model.vocab: negative id " + id + " for " + quote(token));
            }
            if (idToToken[id] != null) {
                throw new TokenizerFormatException(where + ": model.vocab: id " + id + " given to both "
                        + quote(idToToken[id]) + " and " + quote(token));
            }
            idToToken[id] = token;
        });
        for (int b = 0; b < 256; b++) {
            byteToId[b] = vocab.getOrDefault(String.valueOf(ByteLevel.charOf(b)), -1);
        }
        this.merges = new PairMap(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] pair = merges.get(rank);
            Integer left = vocab.get(pair[0]);
            Integer right = vocab.get(pair[1]);
            Integer both = vocab.get(pair[0] + pair[1]);
            if (left == null || right == null || both == null) {
                String missing = left == null ? pair[0] : right == null ? pair[1] : pair[0] + pair[1];
                throw new TokenizerFormatException(where + ": model.merges[" + rank + "] (" + quote(pair[0]) + ", "
                        + quote(pair[1]) + "): token " + quote(missing) + " is not in model.vocab");
            }
            this.merges.putIfAbsent(left, right, rank, both);
        }
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    int vocabSize() {
        return idToToken.length;
    }

    /** The model's token string for an id, or null when the id is not in the model's vocabulary. */
    String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    Integer id(String token) {
        return vocab.get(token);
    }

    /** Encodes one pre-token given in ordinary text (not yet byte-level). */
    Word encodeWord(String word) {
        Word cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        Word result = merge(word.getBytes(StandardCharsets.UTF_8));
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(word, result);
        return result;
    }

    private Word merge(byte[] bytes) {
        int n = bytes.length;
        if (ignoreMerges && n > 1) {
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) {
                chars[i] = ByteLevel.charOf(bytes[i] & 0xFF);
            }
            Integer whole = vocab.get(new String(chars));
            if (whole != null) {
                return new Word(new int[] {whole}, new int[] {n});
            }
        }
        // Symbols as a doubly linked list over arrays; a merged-away symbol gets length 0.
        int[] ids = new int[n];
        int[] lengths = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int id = byteToId[bytes[i] & 0xFF];
            if (id < 0) {
                continue; // no token for this byte and no unknown token: dropped, as the HF library does
            }
            ids[count] = id;
            lengths[count] = 1;
            prev[count] = count - 1;
            next[count] = count + 1;
            count++;
        }
        if (count == 0) {
            return new Word(new int[0], new int[0]);
        }
        next[count - 1] = -1;
        // Heap of candidate merges, each packed as (rank << 32 | left position): lowest rank first, then leftmost.
        LongHeap heap = new LongHeap(count);
        for (int i = 0; i + 1 < count; i++) {
            int rank = merges.rank(ids[i], ids[i + 1]);
            if (rank >= 0) {
                heap.push(((long) rank << 32) | i);
            }
        }
        while (!heap.isEmpty()) {
            long top = heap.pop();
            int rank = (int) (top >>> 32);
            int left = (int) top;
            int right = next[left];
            // Stale entries: the left symbol was merged away, or its pair changed since the entry was pushed.
            if (lengths[left] == 0 || right < 0 || merges.rank(ids[left], ids[right]) != rank) {
                continue;
            }
            ids[left] = merges.merged(ids[left], ids[right]);
            lengths[left] += lengths[right];
            lengths[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            int before = prev[left];
            if (before >= 0) {
                int r = merges.rank(ids[before], ids[left]);
                if (r >= 0) {
                    heap.push(((long) r << 32) | before);
                }
            }
            int after = next[left];
            if (after >= 0) {
                int r = merges.rank(ids[left], ids[after]);
                if (r >= 0) {
                    heap.push(((long) r << 32) | left);
                }
            }
        }
        int[] outIds = new int[count];
        int[] outLengths = new int[count];
        int m = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            outIds[m] = ids[i];
            outLengths[m] = lengths[i];
            m++;
        }
        return new Word(Arrays.copyOf(outIds, m), Arrays.copyOf(outLengths, m));
    }

    /** A binary min-heap of longs, to keep the merge loop free of boxing. */
    private static final class LongHeap {
        private long[] items;
        private int size;

        LongHeap(int capacity) {
            items = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long value) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (items[parent] <= value) {
                    break;
                }
                items[i] = items[parent];
                i = parent;
            }
            items[i] = value;
        }

        long pop() {
            long top = items[0];
            long last = items[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && items[child + 1] < items[child]) {
                    child++;
                }
                if (items[child] >= last) {
                    break;
                }
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
            return top;
        }
    }
}
