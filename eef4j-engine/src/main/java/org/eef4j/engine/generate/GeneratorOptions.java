package org.eef4j.engine.generate;

/**
 * How the {@link Generator} schedules its batch and spends memory.
 *
 * @param maxBatch sequences decoded together. 32 keeps every projection a GEMM of 32 rows (past the point where the
 *     weights' memory traffic dominates) while a batch's caches stay in the hundreds of megabytes for small models
 * @param maxPrefillTokens prompt tokens run in one step, summed over the sequences being prefilled; a longer prompt is
 *     prefilled in pieces over several steps, so work buffers stay bounded (2048 rows: about 6 MB per 1,000 hidden
 *     units per buffer) and decoding sequences are not stalled behind one long prompt
 * @param maxCacheTokens cache positions the active sequences may reserve together (each reserves its prompt plus its
 *     budget, at most the context); a request waits while the others hold the rest
 * @param prefixCacheTokens cache positions of finished sequences kept for reuse (least recently used dropped first);
 *     a new prompt that starts like a kept sequence copies those positions instead of recomputing them. Agent episodes
 *     share a long instruction prompt and every turn's prompt extends the previous one, so this saves most prefill
 * @param minSharedPrefix a request that shares at least this many more prompt tokens with a sequence still being
 *     prefilled waits for it, then copies its cache, rather than computing the same positions alongside it
 */
public record GeneratorOptions(int maxBatch, int maxPrefillTokens, long maxCacheTokens, long prefixCacheTokens,
    int minSharedPrefix) {

  public GeneratorOptions {
    if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    if (maxPrefillTokens < 1) throw new IllegalArgumentException("maxPrefillTokens must be >= 1, got " + maxPrefillTokens);
    if (maxCacheTokens < 1) throw new IllegalArgumentException("maxCacheTokens must be >= 1, got " + maxCacheTokens);
    if (prefixCacheTokens < 0) throw new IllegalArgumentException("prefixCacheTokens must be >= 0, got " + prefixCacheTokens);
    if (minSharedPrefix < 1) throw new IllegalArgumentException("minSharedPrefix must be >= 1, got " + minSharedPrefix);
  }

  public static GeneratorOptions defaults() {
    return new GeneratorOptions(32, 2048, 1L << 17, 1L << 15, 16);
  }

  public GeneratorOptions withMaxBatch(int n) {
    return new GeneratorOptions(n, maxPrefillTokens, maxCacheTokens, prefixCacheTokens, minSharedPrefix);
  }

  public GeneratorOptions withPrefixCacheTokens(long n) {
    return new GeneratorOptions(maxBatch, maxPrefillTokens, maxCacheTokens, n, minSharedPrefix);
  }

  public GeneratorOptions withMaxPrefillTokens(int n) {
    return new GeneratorOptions(maxBatch, n, maxCacheTokens, prefixCacheTokens, minSharedPrefix);
  }
}
