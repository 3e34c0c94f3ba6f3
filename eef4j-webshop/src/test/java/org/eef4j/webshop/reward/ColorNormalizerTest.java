package org.eef4j.webshop.reward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColorNormalizerTest {

  @Test
  void firstColourInAlphabeticalOrderWins() {
    // WS:tests/web-agent-site/engine/test_normalize.py suite
    assertThat(ColorNormalizer.normalize("")).isEqualTo("");
    assertThat(ColorNormalizer.normalize("black forest")).isEqualTo("black");
    assertThat(ColorNormalizer.normalize("violet lavender")).isEqualTo("lavender");
    assertThat(ColorNormalizer.normalize("steelivy fuchsia")).isEqualTo("fuchsia");
    assertThat(ColorNormalizer.normalize("123alabaster")).isEqualTo("alabaster");
    assertThat(ColorNormalizer.normalize("webshop")).isEqualTo("webshop");
  }

  @Test
  void pairsMatchOnlyWholeElements() {
    assertThat(ColorNormalizer.normalizePair("color", "navy")).isEqualTo("navy");
    assertThat(ColorNormalizer.normalizePair("color", "navy blue")).isNull(); // the string form would give "blue"
    assertThat(ColorNormalizer.normalizePair("size", "x-large")).isNull();
  }

  @Test
  void colourSetIsWebShopsSortedList() {
    List<String> sorted = new ArrayList<>(ColorNormalizer.COLOR_SET);
    sorted.sort(null);
    assertThat(ColorNormalizer.COLOR_SET).hasSize(102).isEqualTo(sorted).doesNotHaveDuplicates();
  }
}
