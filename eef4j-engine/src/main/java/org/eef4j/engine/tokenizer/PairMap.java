package org.eef4j.engine.tokenizer;

import java.util.Arrays;

/**
 * Merge table of a BPE model: (left id, right id) to (rank, merged id), in an open-addressing table keyed on the pair
 * packed in one long. It is the innermost lookup of encoding, so it avoids boxing and the pointer chasing of a HashMap.
 */
final class PairMap {

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] merged;
    private final int mask;
    private int size;

    PairMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        ranks = new int[capacity];
        merged = new int[capacity];
        mask = capacity - 1;
    }

    static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        int i = (int) (h ^ (h >>> 29)) & mask;
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Adds a merge; returns false (and keeps the first) when the pair is already present, as HF keeps the first rank. */
    boolean putIfAbsent(int left, int right, int rank, int mergedId) {
        long key = key(left, right);
        int i = slot(key);
        if (keys[i] == key) {
            return false;
        }
        if (size + 1 > keys.length * 3 / 4) {
            throw new IllegalStateException("PairMap over capacity: " + keys.length);
        }
        keys[i] = key;
        ranks[i] = rank;
        merged[i] = mergedId;
        size++;
        return true;
    }

    /** The rank of the pair, or -1 when the pair does not merge. */
    int rank(int left, int right) {
        int i = slot(key(left, right));
        return keys[i] == EMPTY ? -1 : ranks[i];
    }

    /** The id the pair merges into; only meaningful when {@link #rank} is not -1. */
    int merged(int left, int right) {
        return merged[slot(key(left, right))];
    }

    int size() {
        return size;
    }
}
