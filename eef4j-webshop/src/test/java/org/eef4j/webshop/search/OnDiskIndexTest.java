package org.eef4j.webshop.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk index for large catalogues: built once, reopened after, rebuilt when it no longer fits. */
class OnDiskIndexTest {

  static List<SearchDocument> docs(int n) {
    List<SearchDocument> docs = new ArrayList<>();
    // Inserted in descending ASIN order: ties must come out in insertion (catalogue) order, as the original's did, not
    // in ASIN order.
    for (int i = n - 1; i >= 0; i--) {
      docs.add(new SearchDocument(String.format("B%09d", i), "red cotton shirt number " + (i % 3)));
    }
    return docs;
  }

  @Test
  void buildsOnceThenReopens(@TempDir Path dir) throws Exception {
    Path index = dir.resolve("index");
    List<String> first;
    try (ProductSearch search = ProductSearch.onDisk(index, 30, docs(30))) {
      assertThat(search.size()).isEqualTo(30);
      first = search.search("red shirt", 5);
    }
    // Equal scores: ties in insertion order.
    assertThat(first).containsExactly("B000000029", "B000000028", "B000000027", "B000000026", "B000000025");
    long modified = Files.getLastModifiedTime(index).toMillis();
    // Reopening must not read the documents at all.
    Iterable<SearchDocument> untouchable = () -> {
      throw new AssertionError("the index was rebuilt");
    };
    try (ProductSearch again = ProductSearch.onDisk(index, 30, untouchable)) {
      assertThat(again.search("red shirt", 5)).isEqualTo(first);
    }
    try (ProductSearch opened = ProductSearch.open(index)) {
      assertThat(opened.search("number 2", 3)).containsExactly("B000000029", "B000000026", "B000000023");
    }
    assertThat(Files.getLastModifiedTime(index).toMillis()).isEqualTo(modified);
  }

  @Test
  void keepsTheSegmentsAskedForAndRebuildsForAnotherCount(@TempDir Path dir) {
    Path index = dir.resolve("index");
    ProductSearch.Slicing three = new ProductSearch.Slicing(3, 2);
    try (ProductSearch search = ProductSearch.onDisk(index, 30, "", docs(30), three)) {
      assertThat(search.segments()).isEqualTo(3);
      assertThat(search.searchThreads()).isEqualTo(2);
      // Equal scores across the three segments: ties still in insertion order.
      assertThat(search.search("red shirt", 12)).containsExactly("B000000029", "B000000028", "B000000027",
          "B000000026", "B000000025", "B000000024", "B000000023", "B000000022", "B000000021", "B000000020",
          "B000000019", "B000000018");
    }
    Iterable<SearchDocument> untouchable = () -> {
      throw new AssertionError("the index was rebuilt");
    };
    try (ProductSearch again = ProductSearch.onDisk(index, 30, "", untouchable, three);
        ProductSearch opened = ProductSearch.open(index)) {
      assertThat(again.built()).isFalse();
      assertThat(opened.segments()).isEqualTo(3);
      assertThat(opened.search("number 2", 3)).containsExactly("B000000029", "B000000026", "B000000023");
    }
    try (ProductSearch one = ProductSearch.onDisk(index, 30, "", docs(30), ProductSearch.Slicing.NONE)) {
      assertThat(one.built()).isTrue();
      assertThat(one.segments()).isEqualTo(1);
    }
  }

  @Test
  void rebuildsWhenTheCatalogueSizeChanged(@TempDir Path dir) {
    Path index = dir.resolve("index");
    ProductSearch.onDisk(index, 30, docs(30)).close();
    try (ProductSearch search = ProductSearch.onDisk(index, 40, docs(40))) {
      assertThat(search.size()).isEqualTo(40);
    }
  }

  @Test
  void rebuildsWhenTheSourceFilesChanged(@TempDir Path dir) {
    Path index = dir.resolve("index");
    ProductSearch.onDisk(index, 30, "source-a", docs(30)).close();
    try (ProductSearch same = ProductSearch.onDisk(index, 30, "source-a", docs(30))) {
      assertThat(same.built()).isFalse();
    }
    List<SearchDocument> changed = new ArrayList<>(docs(30));
    changed.set(0, new SearchDocument(changed.getFirst().asin(), "blue linen trousers"));
    try (ProductSearch rebuilt = ProductSearch.onDisk(index, 30, "source-b", changed)) {
      assertThat(rebuilt.built()).isTrue();
      assertThat(rebuilt.search("linen", 5)).containsExactly(changed.getFirst().asin());
    }
  }

  @Test
  void rejectsWhatIsNotOurIndex(@TempDir Path dir) {
    assertThatThrownBy(() -> ProductSearch.open(dir)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no search index in");
    List<SearchDocument> duplicate = List.of(new SearchDocument("B1", "a"), new SearchDocument("B1", "b"));
    assertThatThrownBy(() -> ProductSearch.inMemory(duplicate)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate asin in the search documents: B1");
  }

  @Test
  void overlongQueriesAreCutAtTheClauseLimit() {
    try (ProductSearch search = ProductSearch.inMemory(docs(5))) {
      StringBuilder query = new StringBuilder("shirt");
      for (int i = 0; i < 3000; i++) {
        query.append(" word").append(i).append("x");
      }
      assertThat(search.search(query.toString(), 3)).hasSize(3);
    }
  }
}
