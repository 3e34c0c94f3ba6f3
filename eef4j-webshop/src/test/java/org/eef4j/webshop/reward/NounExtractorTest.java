package org.eef4j.webshop.reward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class NounExtractorTest {

  @Test
  void tokenizesLikeSpacyOnProductNames() {
    assertThat(NounExtractor.tokenize("adidas Unisex-Adult D.o.n. Issue 2 (Silver), 3.5 oz."))
        .containsExactly("adidas", "Unisex", "-", "Adult", "D.o.n.", "Issue", "2", "(", "Silver", ")", ",", "3.5",
            "oz", ".");
    assertThat(NounExtractor.tokenize("  ")).isEmpty();
  }

  @Test
  void keepsNounsAndProperNounsLowercased() {
    assertThat(NounExtractor.nouns("adidas Unisex-Adult D.o.n. Issue 2 Basketball Shoe"))
        .containsExactly("unisex", "adult", "d.o.n.", "issue", "basketball", "shoe");
  }

  @Test
  void isSafeToCallFromManyThreads() throws Exception {
    String name = "Vhomes Lights Reclaimed Wood Console Table The Genessis Collection Sofa-Tables";
    List<String> expected = NounExtractor.nouns(name);
    assertThat(expected).contains("table", "collection");
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> NounExtractor.nouns(name)));
      }
      for (Future<List<String>> f : results) {
        assertThat(f.get()).isEqualTo(expected);
      }
    }
  }
}
