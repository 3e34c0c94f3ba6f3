package org.eef4j.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes ids one at a time, for printing text while a model generates it. A byte-level token may end inside a
 * character (an emoji is often two or three tokens), so the bytes of an unfinished character are held until the
 * next token completes it. Text is only ever cut before a UTF-8 lead byte, where a decoder starts afresh, so the
 * pieces joined equal {@link Tokenizer#decode} of all the ids, invalid bytes and all. Not thread-safe: one per stream.
 */
public final class StreamDecoder {

    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean started;

    StreamDecoder(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Adds one id; returns the text it completes (empty while a character is unfinished). */
    public String next(int id) {
        if (started && pending.size() == 0 && !tokenizer.isByteLevel()) {
            pending.write(' ');
        }
        if (!tokenizer.appendBytes(id, skipSpecialTokens, pending)) {
            return "";
        }
        started = true;
        byte[] bytes = pending.toByteArray();
        int cut = completeLength(bytes);
        pending.reset();
        pending.write(bytes, cut, bytes.length - cut);
        return new String(bytes, 0, cut, StandardCharsets.UTF_8);
    }

    /** Returns what is left; unfinished characters become U+FFFD, as in a full decode. */
    public String finish() {
        String rest = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return rest;
    }

    /** The length of the longest prefix that ends before an unfinished multi-byte character at the end. */
    static int completeLength(byte[] bytes) {
        int n = bytes.length;
        for (int i = n - 1; i >= Math.max(0, n - 4); i--) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                return n; // ASCII: everything up to here is complete
            }
            if (b >= 0xC0) {
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return n - i < needed && b < 0xF5 ? i : n;
            }
        }
        return n; // only continuation bytes: invalid whatever follows, nothing to wait for
    }

    @Override
    public String toString() {
        return "StreamDecoder" + Arrays.toString(pending.toByteArray());
    }
}
