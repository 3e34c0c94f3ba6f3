package org.eef4j.engine.tokenizer;

import java.util.List;
import java.util.Set;

/**
 * A rendered conversation as token ids, with each message's tokens.
 *
 * @param generations the token ranges [first, last) of the template's {% generation %} blocks (empty without them)
 */
public record TokenizedChat(int[] ids, List<TokenSpan> spans, List<int[]> generations) {

    /**
     * The tokens [first, last) of one message's content and closing token.
     *
     * @param exact both ends fall between tokens (no token straddles into the template's text) and the character span
     *     was exact; when false, a straddling token is counted inside
     */
    public record TokenSpan(int index, String role, int first, int last, boolean exact) {}

    public TokenizedChat {
        spans = List.copyOf(spans);
        generations = List.copyOf(generations);
    }

    /** The mask of the template's own {% generation %} blocks, as transformers' return_assistant_tokens_mask. */
    public boolean[] generationMask() {
        boolean[] mask = new boolean[ids.length];
        for (int[] g : generations) {
            java.util.Arrays.fill(mask, g[0], g[1], true);
        }
        return mask;
    }

    /** A loss mask: true for the tokens of messages whose role is one of {@code roles} (usually "assistant"). */
    public boolean[] lossMask(Set<String> roles) {
        boolean[] mask = new boolean[ids.length];
        for (TokenSpan s : spans) {
            if (s.first() >= 0 && roles.contains(s.role())) {
                java.util.Arrays.fill(mask, s.first(), s.last(), true);
            }
        }
        return mask;
    }

    /**
     * The training mask of a conversation, the project's one masking rule: 1 on every token of a trained message's
     * content and on the end-of-turn token the template closes it with (so the model learns to stop); 0 on role headers,
     * separators and every untrained message (instructions, observations, masked expert actions) with its end-of-turn.
     *
     * @param trained per input message, whether the loss counts it
     * @throws IllegalArgumentException when a trained message is not in the rendering (a template that drops it)
     */
    public int[] trainingMask(boolean[] trained) {
        if (trained.length != spans.size()) {
            throw new IllegalArgumentException(trained.length + " trained flags for " + spans.size() + " messages");
        }
        int[] mask = new int[ids.length];
        for (TokenSpan span : spans) {
            if (!trained[span.index()]) continue;
            if (span.first() < 0) {
                throw new IllegalArgumentException("trained message " + span.index() + " (" + span.role()
                    + ") is not in the chat template's rendering");
            }
            java.util.Arrays.fill(mask, span.first(), span.last(), 1);
        }
        return mask;
    }

    /** The loss mask over assistant messages. */
    public boolean[] assistantMask() {
        return lossMask(Set.of("assistant"));
    }
}
