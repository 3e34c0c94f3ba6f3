package org.eef4j.engine.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text the way the Hugging Face library does: scanning left to right, the leftmost match wins,
 * and among matches at one position the longest (Aho-Corasick "leftmost-longest"); matches do not overlap. A trie on
 * characters keeps the scan linear in practice, even for text full of '<'.
 */
final class AddedTokenMatcher {

    /** A piece of the input: either an added token or plain text to be tokenized, as a [start, end) range. */
    record Piece(int start, int end, AddedToken token) {}

    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        AddedToken token;
    }

    private final Node root = new Node();
    private final boolean empty;

    AddedTokenMatcher(List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            Node node = root;
            for (int i = 0; i < t.content().length(); i++) {
                node = node.children.computeIfAbsent(t.content().charAt(i), c -> new Node());
            }
            node.token = t;
        }
        empty = tokens.isEmpty();
    }

    /** Splits text[from, to) into added-token pieces and the text between them (empty gaps omitted). */
    List<Piece> split(String text, int from, int to) {
        List<Piece> pieces = new ArrayList<>();
        if (empty) {
            if (from < to) {
                pieces.add(new Piece(from, to, null));
            }
            return pieces;
        }
        int textStart = from;
        int i = from;
        while (i < to) {
            Node node = root.children.get(text.charAt(i));
            if (node == null) {
                i++;
                continue;
            }
            AddedToken best = null;
            int bestEnd = -1;
            for (int j = i; ; ) {
                if (node.token != null) {
                    best = node.token;
                    bestEnd = j + 1;
                }
                if (++j >= to || (node = node.children.get(text.charAt(j))) == null) {
                    break;
                }
            }
            if (best == null) {
                i++;
                continue;
            }
            int start = i;
            int end = bestEnd;
            if (best.singleWord() && (isWordChar(text, start - 1, from, to) || isWordChar(text, end, from, to))) {
                i = end; // the library's non-overlapping scan resumes after a rejected match too
                continue;
            }
            if (best.lstrip()) {
                while (start > textStart && Character.isWhitespace(text.charAt(start - 1))) {
                    start--;
                }
            }
            if (best.rstrip()) {
                while (end < to && Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
            }
            if (textStart < start) {
                pieces.add(new Piece(textStart, start, null));
            }
            pieces.add(new Piece(start, end, best));
            textStart = end;
            i = end;
        }
        if (textStart < to) {
            pieces.add(new Piece(textStart, to, null));
        }
        return pieces;
    }

    private static boolean isWordChar(String text, int index, int from, int to) {
        if (index < from || index >= to) {
            return false;
        }
        char c = text.charAt(index);
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
