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
}
