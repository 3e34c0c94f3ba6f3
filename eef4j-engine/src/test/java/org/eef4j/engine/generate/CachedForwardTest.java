package org.eef4j.engine.generate;

import static org.eef4j.engine.PyTorchFixtures.fixture;
import static org.eef4j.engine.PyTorchFixtures.relError;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.io.SafeTensorsFile;
import org.eef4j.engine.model.Activations;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cached forward against the training forward and PyTorch, on the frozen fixtures: whole prefill, prefill then
 * token-by-token decode, and several sequences in one batch all give every position's logits.
 */
class CachedForwardTest {

  @ParameterizedTest
  @ValueSource(strings = {"llama-tiny", "qwen2-tiny"})
  void cachedDecodeGivesTheFullForwardsLogitsAtEveryPosition(String name) {
    Path dir = fixture(name);
    Parameters params = ModelFiles.load(dir);
    int[] ids;
    int b;
    int s;
    float[] torch;
    try (SafeTensorsFile exp = SafeTensorsFile.open(dir.resolve("expected.safetensors"))) {
      long[] shape = exp.info("input_ids").shape();
      b = (int) shape[0];
      s = (int) shape[1];
      ids = Arrays.stream(exp.readLongs("input_ids")).mapToInt(Math::toIntExact).toArray();
      torch = exp.readFloats("logits");
    }
    LlamaModel full = new LlamaModel(params);
    Activations acts = full.newActivations(b, s);
    full.forward(Batch.allTargets(b, s, ids), acts);
    float[] reference = acts.logits().clone();
    int vocab = full.config().vocabSize();

    CachedForward model = new CachedForward(params);
    for (int seq = 0; seq < b; seq++) {
      int[] row = Arrays.copyOfRange(ids, seq * s, (seq + 1) * s);
      float[] want = Arrays.copyOfRange(reference, seq * s * vocab, (seq + 1) * s * vocab);
      float[] wantTorch = Arrays.copyOfRange(torch, seq * s * vocab, (seq + 1) * s * vocab);

      // the whole prompt at once
      float[] whole = model.forward(model.newCache(s), row);
      assertThat(relError(whole, want)).as("prefill vs training forward").isLessThan(1e-5);
      assertThat(relError(whole, wantTorch)).as("prefill vs PyTorch").isLessThan(1e-5);

      // five tokens of prefill, then one token at a time through the cache
      KvCache cache = model.newCache(s);
      float[] stepped = new float[s * vocab];
      System.arraycopy(model.forward(cache, Arrays.copyOf(row, 5)), 0, stepped, 0, 5 * vocab);
      for (int t = 5; t < s; t++) {
        float[] one = model.forward(cache, new int[] {row[t]});
        System.arraycopy(one, 0, stepped, t * vocab, vocab);
      }
      assertThat(cache.length()).isEqualTo(s);
      assertThat(relError(stepped, want)).as("decode vs training forward").isLessThan(1e-5);
      // each position is computed the same way however the tokens were split into steps
      assertThat(stepped).as("decode vs prefill, bit for bit").isEqualTo(whole);
    }

    // both sequences in one batch, at different stages: one being prefilled, the other decoding
    KvCache first = model.newCache(s);
    KvCache second = model.newCache(s);
    int[] a = Arrays.copyOfRange(ids, 0, s);
    int[] c = Arrays.copyOfRange(ids, s, 2 * s);
    model.forward(second, Arrays.copyOf(c, 11));
    float[] batched = model.forward(List.of(new CachedForward.Chunk(first, a, 0, 9, true),
        new CachedForward.Chunk(second, c, 11, 12, true)), true);
    float[] alone = model.forward(model.newCache(s), Arrays.copyOf(c, 12));
    assertThat(Arrays.copyOfRange(batched, 0, 9 * vocab)).isEqualTo(Arrays.copyOfRange(
        model.forward(model.newCache(s), Arrays.copyOf(a, 9)), 0, 9 * vocab));
    assertThat(Arrays.copyOfRange(batched, 9 * vocab, 10 * vocab))
        .isEqualTo(Arrays.copyOfRange(alone, 11 * vocab, 12 * vocab));
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama-tiny"})
  void lastRowLogitsAndBadInputs(String name) {
    Parameters params = ModelFiles.load(fixture(name));
    CachedForward model = new CachedForward(params);
    int vocab = model.config().vocabSize();
    int[] ids = {3, 1, 4, 1, 5, 9, 2, 6};
    float[] all = model.forward(model.newCache(8), ids);
    float[] last = model.forward(List.of(new CachedForward.Chunk(model.newCache(8), ids, 0, 8, true)), false);
    assertThat(last).isEqualTo(Arrays.copyOfRange(all, 7 * vocab, 8 * vocab));

    KvCache small = model.newCache(4);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.forward(small, ids))
        .hasMessageContaining("overflows");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.forward(model.newCache(4), new int[] {vocab}))
        .hasMessageContaining("outside the vocabulary");
  }

  /**
   * Past the fixtures' short sequences: 150 positions cross the cache's 64-position key blocks, and every split of the
   * same tokens gives the same bits: whole prefill (Gemm per key block); steps of 1 to 4 tokens, 2 to 8 query rows per
   * key head (the few-rows kernels); steps of 5, 10 rows (Gemm again); a copied prefix; a batch of other lengths.
   */
  @Test
  void everySplitAcrossKeyBlocksGivesTheSameBits() {
    ModelConfig config = new ModelConfig("llama", 64, 32, 48, 2, 4, 2, 8, 1e-5, 10000, true, false, false, 256);
    CachedForward model = new CachedForward(ModelInit.normal(config, 7));
    int vocab = config.vocabSize();
    int n = 150;
    int[] ids = new java.util.Random(11).ints(n, 0, vocab).toArray();
    float[] whole = model.forward(model.newCache(n), ids);

    for (int[] steps : new int[][] {{70, 1}, {1, 2}, {64, 3}, {3, 4}, {5, 5}, {129, 1}}) {
      KvCache cache = model.newCache(n);
      float[] split = new float[n * vocab];
      int at = 0;
      while (at < n) {
        int size = Math.min(n - at, at == 0 ? steps[0] : steps[1]);
        float[] out = model.forward(cache, Arrays.copyOfRange(ids, at, at + size));
        System.arraycopy(out, 0, split, at * vocab, size * vocab);
        at += size;
      }
      assertThat(split).as("prefill %d, then steps of %d", steps[0], steps[1]).isEqualTo(whole);
    }

    // a prefix of 100 positions copied from a longer cache, then decoded token by token
    KvCache source = model.newCache(n);
    model.forward(source, ids);
    KvCache copy = model.newCache(n);
    copy.copyPrefix(source, 100);
    for (int t = 100; t < n; t++) {
      float[] one = model.forward(copy, new int[] {ids[t]});
      assertThat(one).as("after the copied prefix, position %d", t)
          .isEqualTo(Arrays.copyOfRange(whole, t * vocab, (t + 1) * vocab));
    }

    // sequences of 63, 64, 65 and 149 positions decoding their next token in one batch
    int[] lengths = {63, 64, 65, 149};
    List<CachedForward.Chunk> chunks = new java.util.ArrayList<>();
    for (int len : lengths) {
      KvCache c = model.newCache(n);
      model.forward(c, Arrays.copyOf(ids, len));
      chunks.add(new CachedForward.Chunk(c, ids, len, len + 1, true));
    }
    float[] batched = model.forward(chunks, true);
    for (int i = 0; i < lengths.length; i++) {
      assertThat(Arrays.copyOfRange(batched, i * vocab, (i + 1) * vocab)).as("position %d in the batch", lengths[i])
          .isEqualTo(Arrays.copyOfRange(whole, lengths[i] * vocab, (lengths[i] + 1) * vocab));
    }
  }
}
