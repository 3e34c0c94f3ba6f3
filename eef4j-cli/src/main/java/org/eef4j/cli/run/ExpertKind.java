package org.eef4j.cli.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The expert kinds an environment with a scripted expert offers (WebShop, SciWorld): {@code scripted}, {@code llm} and
 * {@code import}, read the same way for each; only the scripted expert's failure profile {@code P} is the environment's.
 *
 * @param <P> the environment's failure profile
 */
public sealed interface ExpertKind<P> {

  /** {@code kind: scripted}: the environment's scripted expert, failing as the {@code profile} says, seeded. */
  record Scripted<P>(P profile, long seed) implements ExpertKind<P> {}

  /** {@code kind: llm}: a chat model behind an OpenAI-compatible API, under ETO's prompt ({@link LlmExpertSetup}). */
  record Llm<P>(LlmExpertSetup setup) implements ExpertKind<P> {}

  /** {@code kind: import}: trajectories people already have, replayed first ({@link ImportedExpertSetup}). */
  record Imported<P>(ImportedExpertSetup setup) implements ExpertKind<P> {}

  /**
   * The readers of the three kinds, in the order errors list them.
   *
   * @param environment the environment's kind, whose ETO prompt files an LLM expert reads by default
   * @param parseProfile reads a {@code profile} value (e.g. {@code gpt4:loop=0.5}), throwing
   *     IllegalArgumentException with the reason for a bad one (reported at the {@code profile} key)
   */
  static <P> Map<String, ExpertSetup.Reader<ExpertKind<P>>> readers(String environment,
      Function<String, P> parseProfile) {
    Map<String, ExpertSetup.Reader<ExpertKind<P>>> kinds = new LinkedHashMap<>();
    kinds.put("scripted", (e, b) -> {
      e.onlyKeys("name", "kind", "profile", "seed");
      P profile;
      try {
        profile = parseProfile.apply(e.text("profile", "gpt4"));
      } catch (IllegalArgumentException ex) {
        throw e.get("profile").error(ex.getMessage());
      }
      return new Scripted<>(profile, e.has("seed") ? e.get("seed").longValue() : 0L);
    });
    kinds.put("llm", (e, b) -> new Llm<>(LlmExpertSetup.parse(e, b, environment)));
    kinds.put("import", (e, b) -> new Imported<>(ImportedExpertSetup.parse(e, b)));
    return kinds;
  }
}
