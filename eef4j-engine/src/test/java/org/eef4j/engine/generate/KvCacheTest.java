package org.eef4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.eef4j.engine.model.ModelConfig;
import org.junit.jupiter.api.Test;

/** The transposed key blocks: what goes in by position comes out by position, through copies and trims. */
class KvCacheTest {

  private static final ModelConfig CONFIG =
      new ModelConfig("llama", 16, 24, 16, 2, 6, 3, 8, 1e-5, 10000, true, false, false, 400);

  private static float[] rows(int n, int seed) {
    Random r = new Random(seed);
    float[] a = new float[n * CONFIG.kvDim()];
    for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
    return a;
  }

  private static void assertHolds(KvCache cache, int layer, float[] keys, float[] values, int n) {
    int kvd = CONFIG.kvDim();
    int hd = CONFIG.headDim();
    for (int p = 0; p < n; p++) {
      for (int h = 0; h < CONFIG.numKvHeads(); h++) {
        for (int d = 0; d < hd; d++) {
          assertThat(cache.key(layer, p, h, d)).as("key %d head %d dim %d", p, h, d).isEqualTo(keys[p * kvd + h * hd + d]);
        }
      }
    }
    for (int i = 0; i < n * kvd; i++) assertThat(cache.v[layer][i]).as("value float %d", i).isEqualTo(values[i]);
  }

  @Test
  void keysWrittenInPiecesAcrossBlocksReadBackByPosition() {
    int n = 200; // three full blocks and a partial one
    float[] keys = rows(n, 1);
    float[] values = rows(n, 2);
    KvCache cache = new KvCache(CONFIG, 250);
    int[] pieces = {1, 62, 1, 1, 70, 5, 60}; // crosses 64, 128 and 192 inside pieces and at their edges
    int at = 0;
    for (int piece : pieces) {
      for (int l = 0; l < CONFIG.numLayers(); l++) {
        cache.putKeys(l, at, piece, keys, at * CONFIG.kvDim());
        cache.putValues(l, at, piece, values, at * CONFIG.kvDim());
      }
      at += piece;
    }
    assertThat(at).isEqualTo(n);
    for (int l = 0; l < CONFIG.numLayers(); l++) assertHolds(cache, l, keys, values, n);
  }

  @Test
  void prefixCopiesAndTrimsKeepEveryPosition() {
    int n = 150;
    float[] keys = rows(n, 3);
    float[] values = rows(n, 4);
    KvCache full = new KvCache(CONFIG, 300);
    for (int l = 0; l < CONFIG.numLayers(); l++) {
      full.putKeys(l, 0, n, keys, 0);
      full.putValues(l, 0, n, values, 0);
    }
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) ids[i] = i % 16;
    full.commit(ids, 0, n);

    KvCache copy = new KvCache(CONFIG, 100); // another capacity, so another distance between heads
    copy.copyPrefix(full, 70);
    assertThat(copy.length()).isEqualTo(70);
    for (int l = 0; l < CONFIG.numLayers(); l++) assertHolds(copy, l, keys, values, 70);
    // positions appended after a copy go past the copied ones, in the block the copy left partial
    float[] more = rows(30, 5);
    float[] joined = new float[100 * CONFIG.kvDim()];
    System.arraycopy(keys, 0, joined, 0, 70 * CONFIG.kvDim());
    System.arraycopy(more, 0, joined, 70 * CONFIG.kvDim(), 30 * CONFIG.kvDim());
    copy.putKeys(0, 70, 30, more, 0);
    for (int p = 0; p < 100; p++) {
      for (int h = 0; h < CONFIG.numKvHeads(); h++) {
        for (int d = 0; d < CONFIG.headDim(); d++) {
          assertThat(copy.key(0, p, h, d)).isEqualTo(joined[p * CONFIG.kvDim() + h * CONFIG.headDim() + d]);
        }
      }
    }

    KvCache trimmed = full.trimmed(CONFIG);
    assertThat(trimmed.capacity()).isEqualTo(n);
    assertThat(trimmed.length()).isEqualTo(n);
    for (int l = 0; l < CONFIG.numLayers(); l++) assertHolds(trimmed, l, keys, values, n);
    assertThat(trimmed.bytes()).isLessThan(full.bytes());
  }

  @Test
  void keysPadToWholeBlocksOnly() {
    long perPosition = (long) CONFIG.numLayers() * CONFIG.kvDim() * Float.BYTES;
    // 100 positions: values for 100, keys for two blocks of 64
    assertThat(new KvCache(CONFIG, 100).bytes()).isEqualTo(perPosition * (100 + 128) + 4L * 100);
    assertThat(new KvCache(CONFIG, 128).bytes()).isEqualTo(perPosition * (128 + 128) + 4L * 128);
  }

  @Test
  void writesPastTheCapacityAreRefused() {
    KvCache cache = new KvCache(CONFIG, 10);
    assertThatThrownBy(() -> cache.putKeys(0, 8, 3, rows(3, 6), 0)).hasMessageContaining("keys [8, 11) of 10");
  }
}
