package org.eef4j.engine.tokenizer;

/**
 * A token the tokenizer matches in text before normalization and BPE (an entry of tokenizer.json's "added_tokens").
 *
 * @param special a control token such as {@code <|im_end|>}: dropped when decoding with skip-special
 * @param singleWord match only when not inside a word
 * @param lstrip the match also takes the whitespace on its left
 * @param rstrip the match also takes the whitespace on its right
 * @param normalized matched in the normalized text rather than the raw text
 */
public record AddedToken(int id, String content, boolean special, boolean singleWord, boolean lstrip, boolean rstrip,
        boolean normalized) {

    public AddedToken {
        if (id < 0) {
            throw new IllegalArgumentException("added token id must not be negative: " + id);
        }
        if (content == null || content.isEmpty()) {
            throw new IllegalArgumentException("added token " + id + " has empty content");
        }
    }

    /** A special token as tokenizer trainers declare them: matched anywhere, verbatim. */
    public static AddedToken special(int id, String content) {
        return new AddedToken(id, content, true, false, false, false, false);
    }
}
