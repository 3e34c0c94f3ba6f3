package org.eef4j.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json} (format: {"metadata": {...}, "weight_map": {tensor name: shard file name}}).
 */
public final class Checkpoint implements TensorSource {

  public static final String SINGLE = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";

  private final Path where;
  private final Map<String, SafeTensorsFile> byTensor;
  private final Map<String, SafeTensorsFile> files;

  private Checkpoint(Path where, Map<String, SafeTensorsFile> byTensor, Map<String, SafeTensorsFile> files) {
    this.where = where;
    this.byTensor = byTensor;
    this.files = files;
  }

  /** Opens a model directory (single file or sharded) or a single .safetensors file. */
  public static TensorSource open(Path dirOrFile) {
    if (Files.isRegularFile(dirOrFile)) return SafeTensorsFile.open(dirOrFile);
    Path single = dirOrFile.resolve(SINGLE);
    if (Files.isRegularFile(single)) return SafeTensorsFile.open(single);
    Path index = dirOrFile.resolve(INDEX);
    if (!Files.isRegularFile(index)) {
      throw new SafeTensorsException(dirOrFile + ": neither " + SINGLE + " nor " + INDEX + " is there");
    }
    return openSharded(index);
  }

  private static Checkpoint openSharded(Path index) {
    JsonNode map;
    try {
      map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
    } catch (IOException e) {
      throw new SafeTensorsException(index + ": cannot parse: " + e.getMessage(), e);
    }
    if (!map.isObject() || map.isEmpty()) throw new SafeTensorsException(index + ": weight_map is missing or empty");
    Map<String, SafeTensorsFile> files = new LinkedHashMap<>();
    Map<String, SafeTensorsFile> byTensor = new LinkedHashMap<>();
    try {
      for (var e : map.properties()) {
        String shard = e.getValue().asText();
        if (shard.contains("/") || shard.contains("\\")) {
          throw new SafeTensorsException(index + ": shard " + shard + " of " + e.getKey() + " is not a file name");
        }
        SafeTensorsFile f = files.get(shard);
        if (f == null) {
          Path p = index.resolveSibling(shard);
          if (!Files.isRegularFile(p)) {
            throw new SafeTensorsException(index + ": shard " + shard + " (holding " + e.getKey() + ") is missing");
          }
          f = SafeTensorsFile.open(p);
          files.put(shard, f);
        }
        if (!f.names().contains(e.getKey())) {
          throw new SafeTensorsException(index + ": " + e.getKey() + " is mapped to " + shard + " which lacks it");
        }
        byTensor.put(e.getKey(), f);
      }
    } catch (RuntimeException e) {
      files.values().forEach(SafeTensorsFile::close);
      throw e;
    }
    return new Checkpoint(index, byTensor, files);
  }

  @Override
  public Set<String> names() {
    return byTensor.keySet();
  }

  private SafeTensorsFile file(String name) {
    SafeTensorsFile f = byTensor.get(name);
    if (f == null) throw new SafeTensorsException(where + ": no tensor named " + name);
    return f;
  }

  @Override
  public TensorInfo info(String name) {
    return file(name).info(name);
  }

  @Override
  public void readFloats(String name, float[] dst, int off) {
    file(name).readFloats(name, dst, off);
  }

  @Override
  public long[] readLongs(String name) {
    return file(name).readLongs(name);
  }

  @Override
  public void close() {
    files.values().forEach(SafeTensorsFile::close);
  }
}
