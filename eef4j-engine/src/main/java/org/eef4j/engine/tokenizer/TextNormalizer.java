package org.eef4j.engine.tokenizer;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/** A tokenizer.json "normalizer": rewrites text before pre-tokenization. */
sealed interface TextNormalizer {

    String apply(String text);

    /** Unicode normalization forms (NFC for Qwen). */
    record Unicode(Normalizer.Form form) implements TextNormalizer {
        @Override
        public String apply(String text) {
            return Normalizer.isNormalized(text, form) ? text : Normalizer.normalize(text, form);
        }
    }

    record Lowercase() implements TextNormalizer {
        @Override
        public String apply(String text) {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    record Sequence(List<TextNormalizer> steps) implements TextNormalizer {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public String apply(String text) {
            for (TextNormalizer step : steps) {
                text = step.apply(text);
            }
            return text;
        }
    }

    /**
     * The normalized text with, for each of its characters, the range of the original it came from. Unchanged text
     * maps one to one. Changed text is normalized in chunks that each begin at an ASCII character: an ASCII character
     * never composes with or reorders against what precedes it, so the chunks normalize independently and a
     * boundary before any ASCII character (every boundary of a chat template) stays exact.
     */
    record Aligned(String text, int base, int[] originStart, int[] originEnd) {
        /** Where in the original the character at {@code i} of the normalized text starts. */
        int start(int i) {
            return originStart == null ? base + i : i < text.length() ? originStart[i] : originEnd[i - 1];
        }

        /** Where in the original the character at {@code i - 1} of the normalized text ends. */
        int end(int i) {
            return originEnd == null ? base + i : i > 0 ? originEnd[i - 1] : originStart[0];
        }
    }

    static Aligned align(TextNormalizer normalizer, String original, int base) {
        String whole = normalizer == null ? original : normalizer.apply(original);
        if (whole.equals(original)) {
            return new Aligned(original, base, null, null);
        }
        StringBuilder out = new StringBuilder(whole.length());
        int[] starts = new int[whole.length() + 16];
        int[] ends = new int[whole.length() + 16];
        int chunkStart = 0;
        for (int i = 1; i <= original.length(); i++) {
            if (i == original.length() || original.charAt(i) < 0x80) {
                String part = normalizer.apply(original.substring(chunkStart, i));
                if (out.length() + part.length() > starts.length) {
                    starts = java.util.Arrays.copyOf(starts, (out.length() + part.length()) * 2);
                    ends = java.util.Arrays.copyOf(ends, starts.length);
                }
                for (int k = 0; k < part.length(); k++) {
                    int at = out.length() + k;
                    boolean same = part.length() == i - chunkStart;
                    starts[at] = base + (same ? chunkStart + k : chunkStart);
                    ends[at] = base + (same ? chunkStart + k + 1 : i);
                }
                out.append(part);
                chunkStart = i;
            }
        }
        return new Aligned(out.toString(), base, starts, ends);
    }
}
