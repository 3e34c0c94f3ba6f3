package org.eef4j.engine.kernel;

/**
 * What a caller needs to know of {@link Gemm}'s summation order to split a product without changing its bits: each
 * output is the sum, in k order, of FMA chains over consecutive blocks of {@link #depth()} k values, each chain from
 * zero. A caller that runs the blocks as separate accumulating products (k ≤ depth each, in the same order) gets the
 * product's bits; so does one that leaves out k values whose terms are exactly zero.
 */
public final class GemmBlocks {

  private GemmBlocks() {}

  /** The k values of one chain (Gemm's KC). */
  public static int depth() {
    return Gemm.KC;
  }
}
