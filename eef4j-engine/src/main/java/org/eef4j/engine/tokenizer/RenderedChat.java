package org.eef4j.engine.tokenizer;

import java.util.List;

/** A conversation rendered by a chat template, with where each message landed (one span per input message). */
public record RenderedChat(String text, List<MessageSpan> spans) {

    public RenderedChat {
        spans = List.copyOf(spans);
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
        return new TokenizedChat(encoding.ids(), tokenSpans);
    }
}
