package org.eef4j.engine.tokenizer;

/**
 * Where one message landed in a rendered conversation, in UTF-16 chars of the rendered text.
 *
 * <p>{@code [contentStart, contentEnd)} is the message's content as the template wrote it (after any trimming the
 * template does). {@code end} extends the content over the special token that closes the turn when one follows it
 * (only whitespace of the content between): {@code [contentStart, end)} is what a model produces for that turn, the
 * part a loss mask covers for assistant messages. A message whose content the template did not write at all (an
 * empty system prompt it skips) has {@code rendered == false} and all positions -1.
 *
 * @param exact false when the template cut the front of the content (Qwen3 drops the reasoning of earlier turns): the
 *     start is then where the surviving tail of the content begins, found by matching text, not by a marker
 */
public record MessageSpan(int index, String role, int contentStart, int contentEnd, int end, boolean rendered,
        boolean exact) {

    static MessageSpan absent(int index, String role) {
        return new MessageSpan(index, role, -1, -1, -1, false, false);
    }
}
