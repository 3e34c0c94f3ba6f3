package org.eef4j.engine.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file that Hugging Face's loaders read. Layout, in order: the header length as a little-endian u64;
 * the JSON header, padded with spaces to a multiple of 8 bytes so the data section is aligned, holding for each tensor
 * (in the order added) {"dtype", "shape", "data_offsets": [begin, end]} and an optional "__metadata__" string map; then
 * the tensors' bytes, little-endian, back to back. The file is written beside its destination and moved into place, so a
 * crash never leaves a half-written checkpoint under the final name.
 */
public final class SafeTensorsWriter {

  private record Entry(String name, DType dtype, long[] shape, float[] src, int off, int numel) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Adds {@code src[off .. off+prod(shape))} stored as {@code dtype} (F32 or BF16). */
  public SafeTensorsWriter add(String name, DType dtype, long[] shape, float[] src, int off) {
    if (dtype != DType.F32 && dtype != DType.BF16) {
      throw new IllegalArgumentException(name + ": can write F32 or BF16, not " + dtype);
    }
    for (Entry e : entries) if (e.name.equals(name)) throw new IllegalArgumentException("tensor " + name + " added twice");
    long n = 1;
    for (long d : shape) n = Math.multiplyExact(n, d);
    if (off < 0 || off + n > src.length) {
      throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " at " + off
          + " runs past its source of " + src.length);
    }
    entries.add(new Entry(name, dtype, shape.clone(), src, off, (int) n));
    return this;
  }

  public SafeTensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  public void write(Path path) {
    ObjectNode header = new ObjectMapper().createObjectNode();
    long offset = 0;
    for (Entry e : entries) {
      ObjectNode t = header.putObject(e.name);
      t.put("dtype", e.dtype.name());
      var shape = t.putArray("shape");
      for (long d : e.shape) shape.add(d);
      long bytes = (long) e.numel * e.dtype.bytes();
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    if (!metadata.isEmpty()) {
      ObjectNode m = header.putObject("__metadata__");
      metadata.forEach(m::put);
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) & ~7;
    byte[] headerBytes = Arrays.copyOf(json, padded);
    Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(len.array());
        out.write(headerBytes);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
          for (int i = 0; i < e.numel; i++) {
            if (buf.remaining() < 4) {
              out.write(buf.array(), 0, buf.position());
              buf.clear();
            }
            float f = e.src[e.off + i];
            if (e.dtype == DType.F32) buf.putFloat(f);
            else buf.putShort(DType.toBf16(f));
          }
        }
        out.write(buf.array(), 0, buf.position());
      }
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path, e);
    }
  }
}
