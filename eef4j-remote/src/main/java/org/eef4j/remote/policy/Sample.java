package org.eef4j.remote.policy;

/**
 * One reply as a server returned it.
 *
 * @param ids the sampled token ids, as the server returned them (without the end-of-turn token where the server leaves
 *     it out); null from a text-only server
 * @param text the reply's text as the server decoded it
 * @param promptTokens the prompt's length as the server counted it (0 when it did not say)
 * @param completionTokens tokens generated (0 when the server did not say)
 * @param finish why generation stopped: "stop" (end of turn or a stop string) or "length" (the token budget)
 * @param stopId the token id the server stopped on when it says so and leaves it out of {@code ids} (SGLang's
 *     {@code matched}), else -1
 */
public record Sample(int[] ids, String text, int promptTokens, int completionTokens, String finish, int stopId) {}
