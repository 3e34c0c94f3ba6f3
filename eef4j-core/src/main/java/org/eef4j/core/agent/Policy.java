package org.eef4j.core.agent;

import java.util.List;

/**
 * Produces the assistant's next turn for many conversations at once.
 *
 * <p>Batched because generation on a CPU or a GPU is far cheaper per reply when the open episodes' next turns are
 * decoded together: the runner asks for every open episode's reply in one call. An implementation may split the batch
 * as its memory allows, but must return one reply per request, in request order, and make each reply depend only on its
 * own request (its messages and seed), never on its neighbours in the batch.
 */
public interface Policy {

  List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling);

  /**
   * Whether replies are best asked for one at a time, from many threads at once: true for a policy whose batching
   * happens elsewhere (an inference server batches the open requests continuously), so that each episode goes on as
   * soon as its own reply comes instead of waiting for the slowest reply of a round. Such a policy must be safe to call
   * concurrently. False (the default) for a policy that batches the requests of one call itself (the engine).
   */
  default boolean repliesOneAtATime() {
    return false;
  }
}
