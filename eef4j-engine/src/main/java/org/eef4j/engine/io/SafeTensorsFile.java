package org.eef4j.engine.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A memory-mapped safetensors file (format: little-endian u64 header length N, N bytes of JSON header mapping each tensor
 * name to its dtype, shape and [begin, end) byte offsets in the data section, optional "__metadata__" string map, then the
 * data section). The whole header is validated on open, so a truncated or inconsistent file fails before any weight is
 * read, with the tensor and the problem named.
 */
public final class SafeTensorsFile implements TensorSource {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Headers above this are refused rather than parsed: the format's own reference implementation caps them at 100 MB. */
  private static final long MAX_HEADER = 100L << 20;

  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final Path path;
  private final Arena arena;
  private final MemorySegment data;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafeTensorsFile(Path path, Arena arena, MemorySegment data, Map<String, TensorInfo> tensors,
      Map<String, String> metadata) {
    this.path = path;
    this.arena = arena;
    this.data = data;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  public static SafeTensorsFile open(Path path) {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) throw new SafeTensorsException(path + ": " + size + " bytes, too short for the 8-byte header length");
      MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      long headerLen = all.get(I64, 0);
      if (headerLen < 2 || headerLen > MAX_HEADER || headerLen > size - 8) {
        throw new SafeTensorsException(path + ": header length " + headerLen + " is impossible for a file of " + size
            + " bytes (truncated or not a safetensors file)");
      }
      byte[] header = all.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
      MemorySegment data = all.asSlice(8 + headerLen);
      Map<String, String> metadata = new LinkedHashMap<>();
      Map<String, TensorInfo> tensors = parseHeader(path, header, data.byteSize(), metadata);
      return new SafeTensorsFile(path, arena, data, tensors, metadata);
    } catch (IOException e) {
      arena.close();
      throw new SafeTensorsException(path + ": cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  private static Map<String, TensorInfo> parseHeader(Path path, byte[] header, long dataSize,
      Map<String, String> metadata) {
    JsonNode root;
    try {
      root = JSON.readTree(new String(header, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new SafeTensorsException(path + ": header is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) throw new SafeTensorsException(path + ": header is not a JSON object");
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      String name = e.getKey();
      JsonNode v = e.getValue();
      if (name.equals("__metadata__")) {
        v.properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      String where = path + ": tensor " + name;
      DType dtype = DType.parse(v.path("dtype").asText());
      if (dtype == null) throw new SafeTensorsException(where + ": unsupported dtype " + v.path("dtype"));
      JsonNode shapeNode = v.path("shape");
      JsonNode offs = v.path("data_offsets");
      if (!shapeNode.isArray()) throw new SafeTensorsException(where + ": shape is missing");
      if (!offs.isArray() || offs.size() != 2) throw new SafeTensorsException(where + ": data_offsets is not [begin, end]");
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
          throw new SafeTensorsException(where + ": bad dimension " + shapeNode.get(i) + " in shape " + shapeNode);
        }
        shape[i] = shapeNode.get(i).asLong();
      }
      long begin = offs.get(0).asLong(-1);
      long end = offs.get(1).asLong(-1);
      TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
      if (begin < 0 || end < begin) throw new SafeTensorsException(where + ": bad data_offsets " + offs);
      if (end > dataSize) {
        throw new SafeTensorsException(where + ": data_offsets " + offs + " run past the data section of " + dataSize
            + " bytes (file truncated?)");
      }
      if (end - begin != info.numel() * dtype.bytes()) {
        throw new SafeTensorsException(where + ": " + (end - begin) + " bytes do not hold shape " + info.shapeString()
            + " of " + dtype + " (" + info.numel() * dtype.bytes() + " bytes)");
      }
      tensors.put(name, info);
    }
    List<TensorInfo> byOffset = new ArrayList<>(tensors.values());
    byOffset.sort(Comparator.comparingLong(TensorInfo::begin));
    for (int i = 1; i < byOffset.size(); i++) {
      if (byOffset.get(i).begin() < byOffset.get(i - 1).end()) {
        throw new SafeTensorsException(path + ": tensors " + byOffset.get(i - 1).name() + " and "
            + byOffset.get(i).name() + " overlap");
      }
    }
    return Collections.unmodifiableMap(tensors);
  }

  public Path path() {
    return path;
  }

  public Map<String, String> metadata() {
    return Collections.unmodifiableMap(metadata);
  }

  @Override
  public Set<String> names() {
    return tensors.keySet();
  }

  @Override
  public TensorInfo info(String name) {
    TensorInfo t = tensors.get(name);
    if (t == null) throw new SafeTensorsException(path + ": no tensor named " + name);
    return t;
  }

  @Override
  public void readFloats(String name, float[] dst, int off) {
    TensorInfo t = info(name);
    int n = Math.toIntExact(t.numel());
    if (off < 0 || off + n > dst.length) {
      throw new IndexOutOfBoundsException(name + ": " + n + " elements do not fit at " + off + " in " + dst.length);
    }
    long at = t.begin();
    switch (t.dtype()) {
      case F32 -> MemorySegment.copy(data, F32, at, dst, off, n);
      case BF16 -> {
        for (int i = 0; i < n; i++) dst[off + i] = DType.fromBf16(data.get(I16, at + 2L * i));
      }
      case F16 -> {
        for (int i = 0; i < n; i++) dst[off + i] = Float.float16ToFloat(data.get(I16, at + 2L * i));
      }
      case F64 -> {
        for (int i = 0; i < n; i++) dst[off + i] = (float) data.get(F64, at + 8L * i);
      }
      case I64, I32 -> throw new SafeTensorsException(path + ": tensor " + name + " is " + t.dtype()
          + ", expected a float type");
    }
  }

  @Override
  public long[] readLongs(String name) {
    TensorInfo t = info(name);
    int n = Math.toIntExact(t.numel());
    long[] out = new long[n];
    switch (t.dtype()) {
      case I64 -> MemorySegment.copy(data, I64, t.begin(), out, 0, n);
      case I32 -> {
        for (int i = 0; i < n; i++) out[i] = data.get(I32, t.begin() + 4L * i);
      }
      default -> throw new SafeTensorsException(path + ": tensor " + name + " is " + t.dtype()
          + ", expected I64 or I32");
    }
    return out;
  }

  @Override
  public void close() {
    arena.close();
  }
}
