package org.eef4j.webshop.catalog;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.eef4j.core.format.AtomicFiles;

/**
 * The processed catalogue in a binary file, so that a large catalogue starts without parsing its JSON again: the 1.18M
 * products of the full WebShop are 3-5 GB of JSON, which take a minute or more to parse, and a snapshot reads in
 * seconds.
 *
 * <p>{@link #load} reopens the snapshot only when it was made from the very source files the catalogue directory holds
 * now (each one's name, size, modification time, and a checksum of its first and last MiB); otherwise, or when the
 * snapshot is unreadable (truncated, corrupt, another format version), it reads the sources and writes the snapshot
 * again, saying why. A snapshot is checked whole (a CRC32C of everything it holds) before any of it is used.
 *
 * <p>Format (big-endian): magic {@code EEF4JCAT}, format version (int), the sources (count, then per file its name,
 * size, modification time in seconds and nanoseconds, sample checksum), the product count (int), the products (each
 * field in {@link Product}'s order; strings as a byte length, -1 for null, and UTF-8; lists as a count and elements),
 * then magic {@code EEF4JEND} and the CRC32C of everything before it. Written to a temporary file and moved into
 * place, so a crash never leaves a half snapshot under the real name.
 */
public final class CatalogSnapshot {

  /** The snapshot's file name where a caller keeps it in a directory of its own (beside the search index). */
  public static final String FILE_NAME = "eef4j-catalogue.snapshot";

  static final byte[] MAGIC = "EEF4JCAT".getBytes(StandardCharsets.US_ASCII);
  static final byte[] END = "EEF4JEND".getBytes(StandardCharsets.US_ASCII);
  /** Raise whenever what is written changes (a Product component, the encoding): older snapshots are then remade. */
  static final int VERSION = 1;
  /** How much of each source file's start and end goes into its sample checksum. */
  static final int SAMPLE_BYTES = 1 << 20;

  private CatalogSnapshot() {}

  /**
   * A catalogue and how it was obtained.
   *
   * @param catalog the products
   * @param reopened true when read from the snapshot, false when read from the source files (the snapshot was then
   *     written)
   * @param why why the snapshot was not reopened ("" when it was): none yet, stale (which source changed), unreadable
   * @param sourceKey a digest of the source files' identities: equal keys mean the same catalogue
   */
  public record Loaded(Catalog catalog, boolean reopened, String why, String sourceKey) {}

  /**
   * The catalogue in {@code dataDir}, through the snapshot at {@code snapshot}: reopened when it matches the source
   * files, else read from them and the snapshot (re)written.
   */
  public static Loaded load(Path dataDir, Path snapshot) {
    Catalog.Sources sources = Catalog.Sources.in(dataDir);
    List<SourceFile> current = identify(sources.files());
    String key = key(current);
    String why;
    if (!Files.exists(snapshot)) {
      why = "no snapshot yet";
    } else {
      try {
        return new Loaded(read(snapshot, current), true, "", key);
      } catch (StaleSnapshotException | CatalogException e) {
        why = e.getMessage();
      }
    }
    Catalog catalog = Catalog.load(sources);
    write(catalog, current, snapshot);
    return new Loaded(catalog, false, why, key);
  }

  /**
   * One source file's identity: what changes when the file is replaced or rewritten.
   *
   * @param sample CRC32C of the file's first and last {@link #SAMPLE_BYTES} bytes
   */
  record SourceFile(String name, long size, long modifiedSeconds, int modifiedNanos, long sample) {
    String describe() {
      return name + " (" + size + " bytes, modified " + Instant.ofEpochSecond(modifiedSeconds, modifiedNanos)
          + ")";
    }
  }

  static List<SourceFile> identify(List<Path> files) {
    List<SourceFile> out = new ArrayList<>(files.size());
    for (Path file : files) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Instant modified = attributes.lastModifiedTime().toInstant();
        out.add(new SourceFile(file.getFileName().toString(), attributes.size(), modified.getEpochSecond(),
            modified.getNano(), sample(file, attributes.size())));
      } catch (IOException e) {
        throw new CatalogException(file + ": cannot read: " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static long sample(Path file, long size) throws IOException {
    CRC32C crc = new CRC32C();
    try (FileChannel channel = FileChannel.open(file)) {
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(SAMPLE_BYTES, size));
      for (long start : size > SAMPLE_BYTES ? new long[] {0, size - buffer.capacity()} : new long[] {0}) {
        buffer.clear();
        while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) >= 0) {
          // read until the sample is full; a file shrinking meanwhile ends the loop at its end
        }
        buffer.flip();
        crc.update(buffer);
      }
    }
    return crc.getValue();
  }

  static String key(List<SourceFile> sources) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (SourceFile s : sources) {
        digest.update((s.name() + '\0' + s.size() + '\0' + s.modifiedSeconds() + '\0' + s.modifiedNanos() + '\0'
            + s.sample() + '\n').getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The snapshot was made from other source files than the ones there now (the message says which). */
  static final class StaleSnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StaleSnapshotException(String message) {
      super(message);
    }
  }

  /**
   * Reads a snapshot made from {@code expected}; throws {@link StaleSnapshotException} when it was made from other
   * files, and {@link CatalogException} naming the file when it is truncated, corrupt or of another format version.
   */
  static Catalog read(Path snapshot, List<SourceFile> expected) {
    try (SnapshotReader in = SnapshotReader.open(snapshot)) {
      byte[] magic = in.bytes(MAGIC.length);
      if (!Arrays.equals(magic, MAGIC)) {
        throw in.corrupt("not a catalogue snapshot (no " + new String(MAGIC, StandardCharsets.US_ASCII) + " header)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw in.corrupt("snapshot format version " + version + ", this build reads " + VERSION);
      }
      List<SourceFile> recorded = new ArrayList<>();
      int sourceCount = in.count("source files");
      for (int i = 0; i < sourceCount; i++) {
        recorded.add(new SourceFile(in.string(), in.readLong(), in.readLong(), in.readInt(), in.readLong()));
      }
      if (!recorded.equals(expected)) {
        throw new StaleSnapshotException(snapshot + " is stale: made from " + describe(recorded) + ", the catalogue "
            + "directory now holds " + describe(expected));
      }
      int count = in.count("products");
      List<Product> products = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        products.add(readProduct(in));
      }
      in.verifyEnd();
      return Catalog.of(products);
    } catch (IOException e) {
      throw new CatalogException(snapshot + ": unreadable snapshot: " + e.getMessage(), e);
    }
  }

  private static String describe(List<SourceFile> files) {
    return String.join(", ", files.stream().map(SourceFile::describe).toList());
  }

  private static Product readProduct(SnapshotReader in) throws IOException {
    String asin = in.uniqueString();
    String name = in.string();
    String title = in.readBoolean() ? name : in.string();
    String description = in.string();
    List<String> bulletPoints = in.strings();
    int prices = in.count("prices");
    List<Double> pricing = new ArrayList<>(prices);
    for (int i = 0; i < prices; i++) {
      pricing.add(in.readDouble());
    }
    String price = in.string();
    int groups = in.count("option groups");
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (int i = 0; i < groups; i++) {
      options.put(in.string(), in.strings());
    }
    List<String> attributes = in.strings();
    String category = in.string();
    String query = in.string();
    String productCategory = in.string();
    String searchText = in.string();
    String instruction = in.string();
    List<String> instructionAttributes = in.strings();
    int humanCount = in.count("human instructions");
    List<Product.HumanInstruction> human = new ArrayList<>(humanCount);
    for (int i = 0; i < humanCount; i++) {
      human.add(new Product.HumanInstruction(in.string(), in.strings(), in.strings()));
    }
    return new Product(asin, name, title, description, bulletPoints, pricing, price, options, attributes, category,
        query, productCategory, searchText, instruction, instructionAttributes, human);
  }

  /**
   * Writes {@code catalog}, made from {@code sources}, to {@code snapshot}, replacing what is there: readers see the old
   * snapshot or the whole new one, created with the directory's usual permissions ({@link AtomicFiles}).
   */
  static void write(Catalog catalog, List<SourceFile> sources, Path snapshot) {
    AtomicFiles.write(snapshot, file -> {
      CRC32C crc = new CRC32C();
      try (DataOutputStream out = new DataOutputStream(
          new BufferedOutputStream(new CheckedOutputStream(file, crc), 1 << 20))) {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(sources.size());
        for (SourceFile s : sources) {
          writeString(out, s.name());
          out.writeLong(s.size());
          out.writeLong(s.modifiedSeconds());
          out.writeInt(s.modifiedNanos());
          out.writeLong(s.sample());
        }
        out.writeInt(catalog.size());
        for (Product p : catalog.products()) {
          writeProduct(out, p);
        }
        out.flush();
        long checksum = crc.getValue();
        out.write(END);
        out.writeLong(checksum);
      }
    });
  }

  private static void writeProduct(DataOutputStream out, Product p) throws IOException {
    writeString(out, p.asin());
    writeString(out, p.name());
    // The original's title is its name: one string read back for both keeps the heap as the JSON reader leaves it.
    boolean titleIsName = p.title().equals(p.name());
    out.writeBoolean(titleIsName);
    if (!titleIsName) {
      writeString(out, p.title());
    }
    writeString(out, p.description());
    writeStrings(out, p.bulletPoints());
    out.writeInt(p.pricing().size());
    for (double v : p.pricing()) {
      out.writeDouble(v);
    }
    writeString(out, p.price());
    out.writeInt(p.options().size());
    for (Map.Entry<String, List<String>> group : p.options().entrySet()) {
      writeString(out, group.getKey());
      writeStrings(out, group.getValue());
    }
    writeStrings(out, p.attributes());
    writeString(out, p.category());
    writeString(out, p.query());
    writeString(out, p.productCategory());
    writeString(out, p.keptSearchText());
    writeString(out, p.instruction());
    writeStrings(out, p.instructionAttributes());
    out.writeInt(p.humanInstructions().size());
    for (Product.HumanInstruction h : p.humanInstructions()) {
      writeString(out, h.instruction());
      writeStrings(out, h.instructionAttributes());
      writeStrings(out, h.instructionOptions());
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static void writeStrings(DataOutputStream out, List<String> strings) throws IOException {
    out.writeInt(strings.size());
    for (String s : strings) {
      writeString(out, s);
    }
  }
}
