package org.eef4j.webshop.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a {@link CatalogSnapshot} file front to back through one buffer, checksumming exactly the bytes before its
 * trailer as they arrive, so the file is read once. Every count and length is checked against the bytes left before
 * anything is allocated for it: a corrupt file fails with a message naming the file and the byte, never with an
 * out-of-memory error. (DataInputStream over a CheckedInputStream would checksum byte by byte for every int, and
 * could not stop at the trailer.)
 */
final class SnapshotReader implements AutoCloseable {

  private static final int TRAILER = CatalogSnapshot.END.length + Long.BYTES;

  private final Path file;
  private final FileChannel channel;
  private final long payloadEnd;
  private final long expectedChecksum;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).limit(0);
  private final CRC32C crc = new CRC32C();
  private final ShortStrings shortStrings = new ShortStrings();
  private long filePosition;

  private SnapshotReader(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    long size = channel.size();
    if (size < CatalogSnapshot.MAGIC.length + Integer.BYTES + TRAILER) {
      throw corrupt("truncated: only " + size + " bytes");
    }
    payloadEnd = size - TRAILER;
    ByteBuffer trailer = ByteBuffer.allocate(TRAILER);
    while (trailer.hasRemaining() && channel.read(trailer, payloadEnd + trailer.position()) >= 0) {
      // fill the trailer
    }
    trailer.flip();
    byte[] end = new byte[CatalogSnapshot.END.length];
    trailer.get(end);
    if (!Arrays.equals(end, CatalogSnapshot.END)) {
      throw corrupt("truncated or overwritten: no " + new String(CatalogSnapshot.END, StandardCharsets.US_ASCII)
          + " trailer at its end");
    }
    expectedChecksum = trailer.getLong();
  }

  static SnapshotReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file);
    try {
      return new SnapshotReader(file, channel);
    } catch (RuntimeException | IOException e) {
      channel.close();
      throw e;
    }
  }

  /** The snapshot is damaged: a {@link CatalogException} naming the file and the byte reached. */
  CatalogException corrupt(String problem) {
    return CatalogException.in(file, "byte " + position(), problem);
  }

  private long position() {
    return filePosition - buffer.remaining();
  }

  private long left() {
    return payloadEnd - position();
  }

  /** Makes {@code n} bytes (at most the buffer's capacity) available, reading and checksumming what comes next. */
  private void need(int n) throws IOException {
    if (buffer.remaining() >= n) {
      return;
    }
    if (n > left()) {
      throw corrupt("ends inside its data (needs " + n + " more bytes, " + left() + " left before the trailer)");
    }
    buffer.compact();
    int start = buffer.position();
    long unread = payloadEnd - filePosition;
    if (unread < buffer.remaining()) {
      buffer.limit(start + (int) unread);
    }
    while (buffer.position() < n && buffer.hasRemaining()) {
      int read = channel.read(buffer, filePosition);
      if (read < 0) {
        break;
      }
      filePosition += read;
    }
    crc.update(buffer.slice(start, buffer.position() - start));
    buffer.flip();
    if (buffer.remaining() < n) {
      throw corrupt("the file shrank while being read");
    }
  }

  int readInt() throws IOException {
    need(Integer.BYTES);
    return buffer.getInt();
  }

  long readLong() throws IOException {
    need(Long.BYTES);
    return buffer.getLong();
  }

  double readDouble() throws IOException {
    need(Double.BYTES);
    return buffer.getDouble();
  }

  boolean readBoolean() throws IOException {
    need(1);
    byte b = buffer.get();
    if (b != 0 && b != 1) {
      throw corrupt("expected a boolean (0 or 1), got " + b);
    }
    return b == 1;
  }

  /** A count of things that follow, each at least one byte long: bounded by the bytes left. */
  int count(String what) throws IOException {
    int count = readInt();
    if (count < 0 || count > left()) {
      throw corrupt("impossible count of " + what + ": " + count + " (" + left() + " bytes left)");
    }
    return count;
  }

  byte[] bytes(int n) throws IOException {
    need(n);
    byte[] out = new byte[n];
    buffer.get(out);
    return out;
  }

  /** A string: its UTF-8 byte length (-1 for null), then the bytes; a short one read before comes back the same. */
  String string() throws IOException {
    return string(true);
  }

  /** A string known to be unique (an ASIN): never looked up among the short strings read before. */
  String uniqueString() throws IOException {
    return string(false);
  }

  private String string(boolean shared) throws IOException {
    int length = readInt();
    if (length == -1) {
      return null;
    }
    if (length < 0 || length > left()) {
      throw corrupt("impossible string length " + length + " (" + left() + " bytes left)");
    }
    if (length <= buffer.capacity()) {
      need(length);
      int offset = buffer.arrayOffset() + buffer.position();
      String s = shared && length <= ShortStrings.MAX_LENGTH
          ? shortStrings.get(buffer.array(), offset, length)
          : new String(buffer.array(), offset, length, StandardCharsets.UTF_8);
      buffer.position(buffer.position() + length);
      return s;
    }
    byte[] bytes = new byte[length];
    for (int done = 0; done < length; ) {
      int chunk = Math.min(buffer.capacity(), length - done);
      need(chunk);
      buffer.get(bytes, done, chunk);
      done += chunk;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  List<String> strings() throws IOException {
    int count = count("strings");
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String s = string();
      if (s == null) {
        throw corrupt("a null inside a list of strings");
      }
      out.add(s);
    }
    return out;
  }

  /** Checks that every byte before the trailer was read and that their checksum is the one recorded. */
  void verifyEnd() {
    if (left() != 0) {
      throw corrupt(left() + " bytes after the last product");
    }
    if (crc.getValue() != expectedChecksum) {
      throw corrupt("checksum mismatch (CRC32C " + Long.toHexString(crc.getValue()) + ", recorded "
          + Long.toHexString(expectedChecksum) + "): the file is corrupt");
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * One string object for each distinct short ASCII text: categories, crawl queries, breadcrumbs, option names and
   * values, attributes and prices repeat across a catalogue's products, and a fresh copy of each would be kept for
   * every product (as the JSON reader keeps them). Reading a 1.18M catalogue back, fewer objects also means less
   * garbage collector time. Long texts (titles, descriptions, bullet points) are rarely equal in a real crawl and are
   * not looked up. An open-addressing table over the bytes, because a HashMap lookup would need the String first.
   */
  static final class ShortStrings {
    static final int MAX_LENGTH = 48;
    /** Past this many distinct strings (ASINs and other unique short texts), new ones are no longer remembered. */
    private static final int MAX_ENTRIES = 1 << 20;

    private String[] table = new String[1 << 12];
    private int size;

    String get(byte[] bytes, int offset, int length) {
      int hash = 0;
      for (int i = 0; i < length; i++) {
        byte b = bytes[offset + i];
        if (b < 0) { // not ASCII: compared char by char below would be wrong, so decode without remembering
          return new String(bytes, offset, length, StandardCharsets.UTF_8);
        }
        hash = 31 * hash + b;
      }
      int mask = table.length - 1;
      for (int slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
        String s = table[slot];
        if (s == null) {
          String made = new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
          if (size < MAX_ENTRIES) {
            table[slot] = made;
            if (++size * 2 > table.length) {
              grow();
            }
          }
          return made;
        }
        if (s.hashCode() == hash && equalsAscii(s, bytes, offset, length)) {
          return s;
        }
      }
    }

    private static int mix(int hash) {
      return hash ^ (hash >>> 16) ^ (hash >>> 7);
    }

    private static boolean equalsAscii(String s, byte[] bytes, int offset, int length) {
      if (s.length() != length) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if (s.charAt(i) != bytes[offset + i]) {
          return false;
        }
      }
      return true;
    }

    private void grow() {
      String[] old = table;
      table = new String[old.length * 2];
      int mask = table.length - 1;
      for (String s : old) {
        if (s != null) {
          int slot = mix(s.hashCode()) & mask;
          while (table[slot] != null) {
            slot = (slot + 1) & mask;
          }
          table[slot] = s;
        }
      }
    }
  }
}
