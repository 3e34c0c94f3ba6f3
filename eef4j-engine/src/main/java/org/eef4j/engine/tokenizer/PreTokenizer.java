package org.eef4j.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tokenizer.json "pre_tokenizer": cuts normalized text into the words that BPE encodes one by one. Words are ranges
 * of the text; byte-level spelling is applied afterwards by the model, which is the same as the library's ByteLevel
 * step as long as no regex runs after it (checked when the file is read).
 */
sealed interface PreTokenizer {

    /** A word: the range [start, end) of the normalized text, optionally with a space put before it. */
    record Word(int start, int end, boolean prefixSpace) {}

    /** Splits each word of {@code words} further, returning the new list. */
    List<Word> split(String text, List<Word> words);

    /** How a Split keeps the regex matches (the library's SplitDelimiterBehavior). */
    enum Behavior { REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS }

    /**
     * The library's Split. Its regexes are Oniguruma's; Java's engine reads the ones tokenizers use the same way once
     * \s, \w and case folding are made Unicode-aware, which is what the flags do.
     */
    record Split(Pattern pattern, Behavior behavior, boolean invert) implements PreTokenizer {

        static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE;

        static Pattern compile(String regex) {
            return Pattern.compile(regex, FLAGS);
        }

        @Override
        public List<Word> split(String text, List<Word> words) {
            List<Word> out = new ArrayList<>(words.size() * 2);
            Matcher m = pattern.matcher(text);
            List<int[]> parts = new ArrayList<>(); // {start, end, isMatch}
            for (Word w : words) {
                if (w.prefixSpace()) {
                    throw new IllegalStateException("Split after a ByteLevel that adds a prefix space is not supported");
                }
                parts.clear();
                int last = w.start();
                m.region(w.start(), w.end());
                while (m.find()) {
                    if (m.end() == m.start()) {
                        continue;
                    }
                    if (last < m.start()) {
                        parts.add(new int[] {last, m.start(), invert ? 1 : 0});
                    }
                    parts.add(new int[] {m.start(), m.end(), invert ? 0 : 1});
                    last = m.end();
                }
                if (last < w.end()) {
                    parts.add(new int[] {last, w.end(), invert ? 1 : 0});
                }
                emit(parts, out);
            }
            return out;
        }

        private void emit(List<int[]> parts, List<Word> out) {
            switch (behavior) {
                case ISOLATED -> parts.forEach(p -> out.add(new Word(p[0], p[1], false)));
                case REMOVED -> parts.stream().filter(p -> p[2] == 0).forEach(p -> out.add(new Word(p[0], p[1], false)));
                case MERGED_WITH_PREVIOUS -> {
                    int start = -1;
                    for (int[] p : parts) {
                        if (p[2] == 1 && start >= 0) {
                            out.set(out.size() - 1, new Word(start, p[1], false));
                        } else {
                            out.add(new Word(p[0], p[1], false));
                            start = p[0];
                        }
                    }
                }
                case MERGED_WITH_NEXT -> {
                    int pending = -1;
                    for (int[] p : parts) {
                        if (p[2] == 1) {
                            if (pending < 0) {
                                pending = p[0];
                            }
                        } else {
                            out.add(new Word(pending >= 0 ? pending : p[0], p[1], false));
                            pending = -1;
                        }
                    }
                    if (pending >= 0) {
                        out.add(new Word(pending, parts.getLast()[1], false));
                    }
                }
                case CONTIGUOUS -> {
                    boolean lastWasMatch = false;
                    for (int[] p : parts) {
                        if (p[2] == 1 && lastWasMatch) {
                            Word prev = out.getLast();
                            out.set(out.size() - 1, new Word(prev.start(), p[1], false));
                        } else {
                            out.add(new Word(p[0], p[1], false));
                        }
                        lastWasMatch = p[2] == 1;
                    }
                }
            }
        }
    }

    /**
     * The library's ByteLevel pre-tokenizer: with {@code useRegex} it first splits with GPT-2's regex; with
     * {@code addPrefixSpace} each word not starting with a space gets one, so that a first word encodes like the others.
     */
    record ByteLevel(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {

        static final Pattern GPT2 = Split.compile(
                "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

        @Override
        public List<Word> split(String text, List<Word> words) {
            List<Word> out = new ArrayList<>(words.size());
            for (Word w : words) {
                boolean prefix = addPrefixSpace && !w.prefixSpace() && (w.start() == w.end() || text.charAt(w.start()) != ' ');
                if (!useRegex) {
                    out.add(prefix ? new Word(w.start(), w.end(), true) : w);
                } else if (!prefix) {
                    out.addAll(new Split(GPT2, Behavior.ISOLATED, false).split(text, List.of(w)));
                } else {
                    // The library puts the space in front first and then splits: the space may then stand alone.
                    Matcher m = GPT2.matcher(" " + text.substring(w.start(), w.end()));
                    int last = 0;
                    while (m.find()) {
                        if (last < m.start()) {
                            out.add(shifted(w, last, m.start()));
                        }
                        out.add(shifted(w, m.start(), m.end()));
                        last = m.end();
                    }
                    if (last < m.regionEnd()) {
                        out.add(shifted(w, last, m.regionEnd()));
                    }
                }
            }
            return out;
        }

        /** A range of " " + word mapped back onto the text; the range starting at 0 carries the added space. */
        private static Word shifted(Word w, int start, int end) {
            return start == 0 ? new Word(w.start(), w.start() + end - 1, true)
                    : new Word(w.start() + start - 1, w.start() + end - 1, false);
        }
    }

    record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public List<Word> split(String text, List<Word> words) {
            for (PreTokenizer step : steps) {
                words = step.split(text, words);
            }
            return words;
        }
    }
}
