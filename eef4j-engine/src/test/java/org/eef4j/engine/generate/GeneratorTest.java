package org.eef4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.junit.jupiter.api.Test;

/** Batched generation on a small random model: batching, reuse and scheduling never change a sequence's result. */
class GeneratorTest {

  static final ModelConfig CONFIG = new ModelConfig("qwen2", 40, 32, 64, 2, 4, 2, 8, 1e-6, 10000, true, true, false, 96);
  /** A wide initialisation, so that the random model's next-token distributions are peaked and varied. */
  static final Parameters PARAMS = ModelInit.normal(CONFIG, 7, 0.5);
  /** Token i reads as one character, so that stop strings have text to match. */
  static final Function<int[], String> LETTERS = ids -> {
    StringBuilder sb = new StringBuilder();
    for (int id : ids) sb.append((char) ('0' + id));
    return sb.toString();
  };

  static Generator generator(GeneratorOptions options) {
    return new Generator(PARAMS, LETTERS, options);
  }

  static int[] prompt(long seed, int length) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] p = new int[length];
    for (int i = 0; i < length; i++) p[i] = r.nextInt(CONFIG.vocabSize());
    return p;
  }

  static List<Request> mixedRequests(Sampling sampling) {
    List<Request> out = new ArrayList<>();
    int[] shared = prompt(99, 30);
    for (int i = 0; i < 9; i++) {
      int[] own = prompt(i, 1 + 3 * i);
      int[] p = i % 3 == 0 ? own : concat(shared, own); // two in three share a long prefix
      out.add(new Request(p, sampling.withMaxNewTokens(4 + 5 * (i % 4)), 1000 + i));
    }
    return out;
  }

  static int[] concat(int[] a, int[] b) {
    int[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static List<Completion> oneAtATime(List<Request> requests) {
    List<Completion> out = new ArrayList<>();
    for (Request r : requests) {
      out.add(generator(GeneratorOptions.defaults().withPrefixCacheTokens(0)).generate(List.of(r)).getFirst());
    }
    return out;
  }

  static List<int[]> tokens(List<Completion> cs) {
    return cs.stream().map(Completion::tokens).toList();
  }

  @Test
  void greedyBatchEqualsOneAtATime() {
    List<Request> requests = mixedRequests(Sampling.greedy(8));
    List<Completion> alone = oneAtATime(requests);
    List<Completion> batched = generator(GeneratorOptions.defaults()).generate(requests);
    assertThat(tokens(batched)).containsExactlyElementsOf(tokens(alone));
    assertThat(batched).extracting(Completion::finish).containsOnly(Completion.Finish.LENGTH);
    for (int i = 0; i < requests.size(); i++) {
      assertThat(batched.get(i).tokens()).hasSize(requests.get(i).sampling().maxNewTokens());
      assertThat(batched.get(i).text()).isEqualTo(LETTERS.apply(batched.get(i).tokens()));
    }
    // the greedy continuation is not trivially constant
    assertThat(batched.stream().map(c -> Arrays.toString(c.tokens())).distinct().count()).isGreaterThan(3);
  }

  @Test
  void smallBatchesJoinAsOthersLeaveWithTheSameResults() {
    Sampling sampling = new Sampling(0.9, 0.95, 0, 8, List.of(), new int[0]);
    List<Request> requests = mixedRequests(sampling);
    List<Completion> alone = oneAtATime(requests);
    // two at a time, small prefill pieces: every request waits, joins, is prefilled in several steps
    Generator g = generator(GeneratorOptions.defaults().withMaxBatch(2).withMaxPrefillTokens(7));
    assertThat(tokens(g.generate(requests))).containsExactlyElementsOf(tokens(alone));
    assertThat(g.stats().steps()).isGreaterThan(20);
  }

  @Test
  void seedsAreReproducibleAndIndependentOfTheBatch() {
    Sampling sampling = new Sampling(1.0, 1.0, 10, 12, List.of(), new int[0]);
    int[] p = prompt(5, 6);
    Request mine = new Request(p, sampling, 42);
    List<Request> crowd = new ArrayList<>(mixedRequests(sampling));
    crowd.add(3, mine);
    Generator g = generator(GeneratorOptions.defaults());
    int[] alone = g.generate(List.of(mine)).getFirst().tokens();
    assertThat(g.generate(List.of(mine)).getFirst().tokens()).isEqualTo(alone);
    assertThat(g.generate(crowd).get(3).tokens()).isEqualTo(alone);
    assertThat(generator(GeneratorOptions.defaults().withMaxBatch(3)).generate(crowd).get(3).tokens()).isEqualTo(alone);
    // another seed gives another sample (8 draws from about ten tokens each: equal by chance almost never)
    List<String> others = new ArrayList<>();
    for (long seed = 0; seed < 4; seed++) {
      others.add(Arrays.toString(g.generate(List.of(new Request(p, sampling, seed))).getFirst().tokens()));
    }
    assertThat(others).doesNotHaveDuplicates();
  }

  @Test
  void stopTokensAndStopStringsEndTheCompletion() {
    int[] p = prompt(11, 9);
    Generator g = generator(GeneratorOptions.defaults());
    int[] free = g.generate(List.of(new Request(p, Sampling.greedy(16), 0))).getFirst().tokens();
    // stop at the first occurrence of the token greedy produces fifth
    int stopToken = free[4];
    int firstAt = 0;
    while (free[firstAt] != stopToken) firstAt++;
    Completion byToken = g.generate(List.of(new Request(p, Sampling.greedy(16, stopToken), 0))).getFirst();
    assertThat(byToken.finish()).isEqualTo(Completion.Finish.STOP_TOKEN);
    assertThat(byToken.tokens()).isEqualTo(Arrays.copyOf(free, firstAt + 1));
    assertThat(byToken.text()).isEqualTo(LETTERS.apply(Arrays.copyOf(free, firstAt)));

    String freeText = LETTERS.apply(free);
    String stop = freeText.substring(6, 8);
    int cut = freeText.indexOf(stop);
    Completion byString = g.generate(List.of(new Request(p, Sampling.greedy(16).withStopStrings(List.of("~~", stop)), 0)))
        .getFirst();
    assertThat(byString.finish()).isEqualTo(Completion.Finish.STOP_STRING);
    assertThat(byString.text()).isEqualTo(freeText.substring(0, cut));
    assertThat(byString.tokens()).isEqualTo(Arrays.copyOf(free, cut + 2));
  }

  @Test
  void sharedPrefixesAreReusedWithoutChangingResults() {
    List<Request> requests = mixedRequests(Sampling.greedy(6));
    Generator g = generator(GeneratorOptions.defaults());
    List<Completion> batched = g.generate(requests);
    assertThat(tokens(batched)).containsExactlyElementsOf(tokens(oneAtATime(requests)));
    // the six requests sharing the 30-token prefix: one computes it, the others copy it
    long reusing = batched.stream().filter(c -> c.reusedTokens() >= 30).count();
    assertThat(reusing).isEqualTo(5);
    // a later turn that extends a finished conversation reuses all of it
    Request first = requests.get(1);
    int[] turn2 = concat(concat(first.prompt(), batched.get(1).tokens()), new int[] {1, 2, 3});
    Completion next = g.generate(List.of(new Request(turn2, Sampling.greedy(3), 0))).getFirst();
    assertThat(next.reusedTokens()).isEqualTo(first.prompt().length + batched.get(1).tokens().length - 1);
    assertThat(next.tokens()).isEqualTo(oneAtATime(List.of(new Request(turn2, Sampling.greedy(3), 0))).getFirst().tokens());
  }

  @Test
  void theContextLimitsPromptsAndCompletions() {
    Generator g = generator(GeneratorOptions.defaults());
    Completion tooLong = g.generate(List.of(new Request(prompt(1, 96), Sampling.greedy(5), 0))).getFirst();
    assertThat(tooLong.finish()).isEqualTo(Completion.Finish.PROMPT_TOO_LONG);
    assertThat(tooLong.tokens()).isEmpty();
    Completion full = g.generate(List.of(new Request(prompt(1, 90), Sampling.greedy(50), 0))).getFirst();
    assertThat(full.finish()).isEqualTo(Completion.Finish.CONTEXT);
    assertThat(full.tokens()).hasSize(6);
  }

  @Test
  void afterTrainingTheGeneratorUsesTheNewWeightsAndForgetsOldPrefixes() {
    Parameters weights = PARAMS.copy();
    Generator g = new Generator(weights, LETTERS, GeneratorOptions.defaults());
    List<Request> requests = mixedRequests(Sampling.greedy(6));
    List<Completion> before = g.generate(requests);
    Parameters trained = ModelInit.normal(CONFIG, 8, 0.5);
    System.arraycopy(trained.data(), 0, weights.data(), 0, weights.data().length);
    g.weightsChanged();
    List<Completion> after = g.generate(requests);
    assertThat(tokens(after)).containsExactlyElementsOf(
        tokens(new Generator(trained, LETTERS, GeneratorOptions.defaults()).generate(requests)));
    assertThat(after.stream().map(c -> Arrays.toString(c.tokens())).toList())
        .isNotEqualTo(before.stream().map(c -> Arrays.toString(c.tokens())).toList());
    assertThat(after.get(0).reusedTokens()).isZero();
  }

  @Test
  void stopStringsNeedADecoder() {
    Generator g = new Generator(PARAMS, null, GeneratorOptions.defaults());
    assertThatThrownBy(() -> g.generate(List.of(new Request(new int[] {1},
        Sampling.greedy(3).withStopStrings(List.of("x")), 0)))).hasMessageContaining("tokenizer");
    assertThat(g.generate(List.of(new Request(new int[] {1}, Sampling.greedy(3), 0))).getFirst().text()).isNull();
  }

  @Test
  void aTokenFilterLimitsEveryStepToItsTokensAndEndsTheSequenceWhenItAllowsNone() {
    // allowed: only even tokens, and after three tokens nothing
    TokenFilter evens = generated -> {
      java.util.BitSet b = new java.util.BitSet();
      if (generated.length < 3) for (int t = 0; t < CONFIG.vocabSize(); t += 2) b.set(t);
      return b;
    };
    for (double temperature : new double[] {0, 1.5}) {
      Sampling s = Sampling.greedy(10).withTemperature(temperature);
      for (int i = 0; i < 6; i++) {
        Completion c = generator(GeneratorOptions.defaults()).generate(List.of(new Request(prompt(i, 5), s, i, evens)))
            .getFirst();
        assertThat(c.tokens()).hasSize(3);
        assertThat(java.util.Arrays.stream(c.tokens())).allMatch(t -> t % 2 == 0);
        assertThat(c.finish()).isEqualTo(Completion.Finish.CONSTRAINT);
      }
    }
  }

  @Test
  void underAFilterGreedyDecodingTakesTheMostLikelyAllowedToken() {
    int[] p = prompt(3, 8);
    int free = generator(GeneratorOptions.defaults()).generate(List.of(new Request(p, Sampling.greedy(1), 0)))
        .getFirst().tokens()[0];
    // forbid the free choice: the constrained choice is the runner-up, the argmax of the remaining logits
    TokenFilter notFree = generated -> {
      java.util.BitSet b = new java.util.BitSet();
      b.set(0, CONFIG.vocabSize());
      b.clear(free);
      return b;
    };
    int constrained = generator(GeneratorOptions.defaults())
        .generate(List.of(new Request(p, Sampling.greedy(1), 0, notFree))).getFirst().tokens()[0];
    assertThat(constrained).isNotEqualTo(free);
    CachedForward model = new CachedForward(PARAMS);
    float[] all = model.forward(model.newCache(p.length), p);
    int vocab = CONFIG.vocabSize();
    float[] last = Arrays.copyOfRange(all, (p.length - 1) * vocab, p.length * vocab);
    assertThat(Sampler.argmax(last, 0, vocab)).isEqualTo(free);
    last[free] = Float.NEGATIVE_INFINITY;
    assertThat(constrained).isEqualTo(Sampler.argmax(last, 0, vocab));
  }
}
