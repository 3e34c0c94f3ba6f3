package org.eef4j.engine.tokenizer;

import java.util.List;

/**
 * A conversation rendered by a chat template, with where each message landed (one span per input message).
 *
 * @param generations for templates that carry transformers' {% generation %} tag, the [start, end) character ranges
 *     it wraps (what transformers' return_assistant_tokens_mask covers); empty for templates without it
 */
public record RenderedChat(String text, List<MessageSpan> spans, List<int[]> generations) {

    public RenderedChat {
        spans = List.copyOf(spans);
        generations = List.copyOf(generations);
    }

    /**
     * Encodes the rendered text (adding no special tokens: the template wrote them) and maps each message's span to
     * tokens.
     */
    public TokenizedChat tokenize(Tokenizer tokenizer) {
        Encoding encoding = tokenizer.encodeWithOffsets(text, false);
        List<TokenizedChat.TokenSpan> tokenSpans = spans.stream().map(s -> {
            if (!s.rendered()) {
                return new TokenizedChat.TokenSpan(s.index(), s.role(), -1, -1, false);
            }
            int[] range = encoding.tokenSpan(s.contentStart(), s.end());
            boolean aligned = encoding.isBoundary(s.contentStart()) && encoding.isBoundary(s.end());
            return new TokenizedChat.TokenSpan(s.index(), s.role(), range[0], range[1], aligned && s.exact());
        }).toList();
        List<int[]> generationTokens = generations.stream().map(g -> encoding.tokenSpan(g[0], g[1])).toList();
        return new TokenizedChat(encoding.ids(), tokenSpans, generationTokens);
    }
}
