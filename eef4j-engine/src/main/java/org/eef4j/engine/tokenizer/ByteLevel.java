package org.eef4j.engine.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-to-character table, used by every byte-level BPE (GPT-2, Llama 3, Qwen): each of the 256 byte values is
 * given a printable character so that a vocabulary of strings can hold arbitrary bytes. Printable Latin-1 bytes map to
 * themselves; the other 68 bytes (controls, space, soft hyphen...) map to U+0100 upwards, in byte order.
 */
final class ByteLevel {

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Indexed by character (all mapped characters are below U+0200); -1 where a character is not a byte's image. */
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** The byte a character stands for, or -1 when the character is not in the table. */
    static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The byte-level spelling of a text: its UTF-8 bytes, each replaced by its character. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * Appends the bytes a token stands for. As the Hugging Face decoder does, a token with any character outside the
     * table (an added token such as a CJK word) contributes its own UTF-8 bytes instead.
     */
    static void appendBytes(String token, java.io.ByteArrayOutputStream out) {
        for (int i = 0; i < token.length(); i++) {
            if (byteOf(token.charAt(i)) < 0) {
                out.writeBytes(token.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        for (int i = 0; i < token.length(); i++) {
            out.write(byteOf(token.charAt(i)));
        }
    }
}
