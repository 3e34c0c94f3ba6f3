package org.eef4j.remote.trainer;

import java.util.Objects;

/**
 * One preference pair (ETO's DPO) as TRL's pre-tokenized preference rows: the shared prompt's ids, ending with the
 * template's opening of the first answer turn (the generation prompt), and each continuation's ids after it.
 * ETO's continuations are several turns long and carry the environment's observations between the agent's turns, so
 * each continuation also has its mask: 1 on the agent's turns and their end-of-turn tokens, 0 on observations and
 * template tokens. A trainer that computes DPO's log-probabilities over every completion token (TRL's DPOTrainer)
 * would count the observations too; the reference trainer counts the masked tokens only.
 */
public record PairRow(String id, int[] promptIds, int[] chosenIds, int[] chosenMasks, int[] rejectedIds,
    int[] rejectedMasks) {

  public PairRow {
    Objects.requireNonNull(id, "id");
    if (chosenIds.length != chosenMasks.length || rejectedIds.length != rejectedMasks.length) {
      throw new IllegalArgumentException(id + ": a continuation's ids and mask differ in length");
    }
    promptIds = promptIds.clone();
    chosenIds = chosenIds.clone();
    chosenMasks = chosenMasks.clone();
    rejectedIds = rejectedIds.clone();
    rejectedMasks = rejectedMasks.clone();
  }

  @Override
  public int[] promptIds() {
    return promptIds.clone();
  }

  @Override
  public int[] chosenIds() {
    return chosenIds.clone();
  }

  @Override
  public int[] chosenMasks() {
    return chosenMasks.clone();
  }

  @Override
  public int[] rejectedIds() {
    return rejectedIds.clone();
  }

  @Override
  public int[] rejectedMasks() {
    return rejectedMasks.clone();
  }

  /** The chosen side as one row (prompt then continuation), the form the mask audit and a loss check read. */
  public TokenRow chosen() {
    return joined(id + "/chosen", chosenIds, chosenMasks);
  }

  public TokenRow rejected() {
    return joined(id + "/rejected", rejectedIds, rejectedMasks);
  }

  private TokenRow joined(String rowId, int[] ids, int[] mask) {
    int[] all = new int[promptIds.length + ids.length];
    int[] m = new int[all.length];
    System.arraycopy(promptIds, 0, all, 0, promptIds.length);
    System.arraycopy(ids, 0, all, promptIds.length, ids.length);
    System.arraycopy(mask, 0, m, promptIds.length, mask.length);
    return new TokenRow(rowId, all, m, java.util.List.of());
  }
}
