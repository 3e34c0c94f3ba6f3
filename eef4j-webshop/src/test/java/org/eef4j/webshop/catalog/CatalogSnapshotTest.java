package org.eef4j.webshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.eef4j.webshop.synthetic.SyntheticCatalog;
import org.eef4j.webshop.synthetic.SyntheticSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary snapshot of a processed catalogue: equal products back, never stale, never used when damaged. */
class CatalogSnapshotTest {

  @TempDir Path dir;

  private Path data() throws IOException {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("items_shuffle_test.json"), CatalogOriginalFilesTest.SHUFFLE);
    Files.writeString(data.resolve("items_ins_v2_test.json"), CatalogOriginalFilesTest.INS);
    Files.writeString(data.resolve("items_human_ins.json"), CatalogOriginalFilesTest.HUMAN);
    return data;
  }

  private Path snapshot() {
    return dir.resolve("index").resolve(CatalogSnapshot.FILE_NAME);
  }

  @Test
  void firstLoadWritesTheSnapshotAndTheNextReopensEqualProducts() throws IOException {
    Path data = data();
    CatalogSnapshot.Loaded first = CatalogSnapshot.load(data, snapshot());
    assertThat(first.reopened()).isFalse();
    assertThat(first.why()).isEqualTo("no snapshot yet");
    assertThat(snapshot()).isRegularFile();

    CatalogSnapshot.Loaded second = CatalogSnapshot.load(data, snapshot());
    assertThat(second.reopened()).isTrue();
    assertThat(second.sourceKey()).isEqualTo(first.sourceKey());
    assertThat(second.catalog().products()).isEqualTo(Catalog.load(data).products());
    Product mug = second.catalog().get("B0MUG00002");
    assertThat(mug.humanInstructions()).containsExactly(
        new Product.HumanInstruction("i want a big mug.", List.of("dishwasher safe"), List.of("16 oz")));
    assertThat(mug.instruction()).isNull();
    assertThat(second.catalog().get("B0SHIRT001").searchText())
        .isEqualTo("classic fit tee soft cotton. machine wash color: navy | white, black, and size: x-large");
    assertThat(second.catalog().priceOf("B0SHIRT001")).isEqualTo(Catalog.load(data).priceOf("B0SHIRT001"));
  }

  @Test
  void theSnapshotIsCreatedLikeAnyFileInItsDirectoryAndLeavesNoTemporaryFile() throws IOException {
    Path data = data();
    CatalogSnapshot.load(data, snapshot());
    Path plain = Files.writeString(snapshot().resolveSibling("plain"), "x");
    if (Files.getFileStore(plain).supportsFileAttributeView("posix")) {
      assertThat(Files.getPosixFilePermissions(snapshot())).isEqualTo(Files.getPosixFilePermissions(plain));
    }
    try (var files = Files.list(snapshot().getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  @Test
  void aSyntheticCatalogueRoundTripsProductByProduct() {
    Path data = dir.resolve("synthetic");
    SyntheticCatalog.write(data, SyntheticSpec.defaults());
    List<Product> parsed = Catalog.load(data).products();
    CatalogSnapshot.load(data, snapshot());
    CatalogSnapshot.Loaded reopened = CatalogSnapshot.load(data, snapshot());
    assertThat(reopened.reopened()).isTrue();
    assertThat(parsed).hasSizeGreaterThan(100);
    assertThat(reopened.catalog().products()).containsExactlyElementsOf(parsed);
    // Short texts that repeat come back as one object each (the JSON reader makes one per product).
    List<Product> products = reopened.catalog().products();
    Product first = products.getFirst();
    Product sameCategory = products.stream().skip(1).filter(p -> p.category().equals(first.category()))
        .findFirst().orElseThrow();
    assertThat(sameCategory.category()).isSameAs(first.category());
  }

  @Test
  void shortStringsAreSharedAndDecodedExactly() {
    SnapshotReader.ShortStrings strings = new SnapshotReader.ShortStrings();
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 5000; i++) { // enough to grow the table several times
        String text = i % 7 == 0 ? "größe " + i : "color " + i;
        byte[] bytes = ("xx" + text + "yy").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String read = strings.get(bytes, 2, bytes.length - 4);
        assertThat(read).isEqualTo(text);
        String before = seen.putIfAbsent(text, read);
        if (before != null && !text.startsWith("größe")) {
          assertThat(read).isSameAs(before);
        }
      }
    }
  }

  /** products.jsonl may index a text other than the original's rule: the snapshot keeps it. */
  @Test
  void keepsASearchTextThatIsNotTheRule() throws IOException {
    Path data = dir.resolve("jsonl");
    Files.createDirectories(data);
    Files.writeString(data.resolve("items_ins_v2_x.json"), "{}");
    Files.writeString(data.resolve("products.jsonl"), """
        {"id": "B1", "contents": "an indexed text of its own", "product": {"asin": "B1", "name": "Lamp", \
        "Title": "Desk Lamp", "Description": "Bright.", "BulletPoints": ["LED"], "pricing": [12.5], \
        "Price": "$12.5", "options": {"color": ["red", "blue"]}, "category": "home", "query": "lamps", \
        "product_category": "Home"}}
        """);
    CatalogSnapshot.load(data, snapshot());
    Product lamp = CatalogSnapshot.load(data, snapshot()).catalog().get("B1");
    assertThat(lamp.searchText()).isEqualTo("an indexed text of its own");
    assertThat(lamp.title()).isEqualTo("Desk Lamp");
    assertThat(lamp.name()).isEqualTo("Lamp");
    assertThat(lamp).isEqualTo(Catalog.load(data).get("B1"));
  }

  @Test
  void aChangedSourceFileMakesTheSnapshotStale() throws IOException {
    Path data = data();
    String key = CatalogSnapshot.load(data, snapshot()).sourceKey();
    Files.writeString(data.resolve("items_shuffle_test.json"),
        CatalogOriginalFilesTest.SHUFFLE.replace("Classic Fit Tee", "Classic Fit Tee, Now Longer"));

    CatalogSnapshot.Loaded reloaded = CatalogSnapshot.load(data, snapshot());
    assertThat(reloaded.reopened()).isFalse();
    assertThat(reloaded.why()).contains("is stale").contains("items_shuffle_test.json");
    assertThat(reloaded.sourceKey()).isNotEqualTo(key);
    assertThat(reloaded.catalog().get("B0SHIRT001").title()).isEqualTo("Classic Fit Tee, Now Longer");
    // The snapshot was rewritten for the new file.
    assertThat(CatalogSnapshot.load(data, snapshot()).reopened()).isTrue();
  }

  /** Same size, same modification time, other bytes: the sampled checksum still tells. */
  @Test
  void aRewrittenFileOfTheSameSizeAndTimeIsStillNoticed() throws IOException {
    Path data = data();
    Path shuffle = data.resolve("items_shuffle_test.json");
    CatalogSnapshot.load(data, snapshot());
    FileTime modified = Files.getLastModifiedTime(shuffle);
    Files.writeString(shuffle, CatalogOriginalFilesTest.SHUFFLE.replace("Classic Fit Tee", "Classic Fit Tea"));
    Files.setLastModifiedTime(shuffle, modified);

    CatalogSnapshot.Loaded reloaded = CatalogSnapshot.load(data, snapshot());
    assertThat(reloaded.reopened()).isFalse();
    assertThat(reloaded.catalog().get("B0SHIRT001").title()).isEqualTo("Classic Fit Tea");
  }

  @Test
  void anAddedHumanInstructionFileMakesTheSnapshotStale() throws IOException {
    Path data = data();
    Files.delete(data.resolve("items_human_ins.json"));
    CatalogSnapshot.load(data, snapshot());
    Files.writeString(data.resolve("items_human_ins.json"), CatalogOriginalFilesTest.HUMAN);
    CatalogSnapshot.Loaded reloaded = CatalogSnapshot.load(data, snapshot());
    assertThat(reloaded.reopened()).isFalse();
    assertThat(reloaded.catalog().get("B0MUG00002").humanInstructions()).hasSize(1);
  }

  @Test
  void aCorruptSnapshotIsNeverUsedAndIsRewritten() throws IOException {
    Path data = data();
    CatalogSnapshot.load(data, snapshot());
    byte[] bytes = Files.readAllBytes(snapshot());
    int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("Holds coffee.");
    assertThat(at).isPositive();
    bytes[at] ^= 0x20; // "holds coffee.": still parses, only the checksum tells
    Files.write(snapshot(), bytes);
    assertThatThrownBy(() -> CatalogSnapshot.read(snapshot(), CatalogSnapshot.identify(Catalog.Sources.in(data).files())))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith(snapshot().toString())
        .hasMessageContaining("checksum mismatch");

    CatalogSnapshot.Loaded reloaded = CatalogSnapshot.load(data, snapshot());
    assertThat(reloaded.reopened()).isFalse();
    assertThat(reloaded.why()).contains(snapshot().toString());
    assertThat(reloaded.catalog().products()).isEqualTo(Catalog.load(data).products());
    assertThat(CatalogSnapshot.load(data, snapshot()).reopened()).isTrue();
  }

  @Test
  void everyTruncationIsReportedNotUsed() throws IOException {
    Path data = data();
    CatalogSnapshot.load(data, snapshot());
    byte[] whole = Files.readAllBytes(snapshot());
    List<CatalogSnapshot.SourceFile> sources = CatalogSnapshot.identify(Catalog.Sources.in(data).files());
    Path cut = dir.resolve("cut.snapshot");
    for (int length = 0; length < whole.length; length += 7) {
      Files.write(cut, java.util.Arrays.copyOf(whole, length));
      assertThatThrownBy(() -> CatalogSnapshot.read(cut, sources))
          .as("cut to %d of %d bytes", length, whole.length)
          .isInstanceOf(CatalogException.class)
          .hasMessageStartingWith(cut.toString());
    }
    Files.write(cut, whole);
    assertThat(CatalogSnapshot.read(cut, sources).size()).isEqualTo(3);
  }

  @Test
  void aSnapshotOfAnotherFormatVersionIsRewritten() throws IOException {
    Path data = data();
    CatalogSnapshot.load(data, snapshot());
    try (RandomAccessFile file = new RandomAccessFile(snapshot().toFile(), "rw")) {
      file.seek(CatalogSnapshot.MAGIC.length);
      file.writeInt(CatalogSnapshot.VERSION + 1);
    }
    CatalogSnapshot.Loaded reloaded = CatalogSnapshot.load(data, snapshot());
    assertThat(reloaded.reopened()).isFalse();
    assertThat(reloaded.why()).contains("snapshot format version " + (CatalogSnapshot.VERSION + 1));
  }
}
