package org.eef4j.core.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Text files read as UTF-8, strictly: a byte sequence that is not UTF-8 is an error naming the file, the line and the
 * byte offset, never replaced silently and never reported as a bare "Input length = 1" (what the JDK's decoder says).
 */
public final class TextFiles {

  private TextFiles() {}

  /** The whole file as text. */
  public static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw notUtf8(file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The error for a file a strict UTF-8 decoder refused: where its first invalid byte is (0-based offset, 1-based line).
   */
  public static FormatException notUtf8(Path file, CharacterCodingException cause) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.allocate(1 << 16).limit(0);
    CharBuffer out = CharBuffer.allocate(1 << 16);
    long consumed = 0; // bytes before in's start
    long line = 1;
    try (InputStream s = Files.newInputStream(file)) {
      boolean end = false;
      while (true) {
        int n = end ? -1 : s.read(in.array(), in.limit(), in.capacity() - in.limit());
        if (n < 0) {
          end = true;
        } else {
          in.limit(in.limit() + n);
        }
        int before = in.position();
        CoderResult r = decoder.decode(in, out, end);
        for (int i = before; i < in.position(); i++) {
          if (in.get(i) == '\n') line++;
        }
        if (r.isError()) {
          long at = consumed + in.position();
          return new FormatException(file, line, "not valid UTF-8 at byte " + at + " (0x"
              + String.format("%02x", in.get(in.position()) & 0xff) + ")", cause);
        }
        out.clear();
        if (end) {
          break;
        }
        consumed += in.position();
        in.compact().flip();
      }
    } catch (IOException e) {
      return new FormatException(file, 0, "not valid UTF-8", cause);
    }
    return new FormatException(file, 0, "not valid UTF-8", cause);
  }
}
