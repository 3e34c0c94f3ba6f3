package org.eef4j.engine.tokenizer;

import java.util.Arrays;

/**
 * Token ids with, for each token, the range of the input text it came from: {@code [starts[i], ends[i])} in UTF-16
 * chars. A token that holds part of a character (one byte of an emoji) gets the range of the whole character, and
 * tokens added by the post-processor get an empty range at the text's start or end.
 */
public record Encoding(int[] ids, int[] starts, int[] ends) {

    public Encoding {
        if (ids.length != starts.length || ids.length != ends.length) {
            throw new IllegalArgumentException("ids, starts and ends differ in length: " + ids.length + ", "
                    + starts.length + ", " + ends.length);
        }
    }

    public int size() {
        return ids.length;
    }

    /**
     * The tokens that hold any character of the text range [from, to), as a token range [first, last). A token that
     * straddles a boundary of the range counts as inside it; {@link #isBoundary} tells whether that happened.
     */
    public int[] tokenSpan(int from, int to) {
        int first = 0;
        while (first < ids.length && ends[first] <= from) {
            first++;
        }
        int last = first;
        while (last < ids.length && starts[last] < to) {
            last++;
        }
        return new int[] {first, Math.max(first, last)};
    }

    /** Whether a text position falls between two tokens (or at either end), so a span starting there is exact. */
    public boolean isBoundary(int position) {
        for (int i = 0; i < ids.length; i++) {
            if (starts[i] < position && position < ends[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding e && Arrays.equals(ids, e.ids) && Arrays.equals(starts, e.starts)
                && Arrays.equals(ends, e.ends);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(ids);
    }
}
