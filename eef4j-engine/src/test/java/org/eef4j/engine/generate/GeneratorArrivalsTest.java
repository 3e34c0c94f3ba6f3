package org.eef4j.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests that arrive while others decode (a server's queue) join the batch and leave it as soon as they finish. */
class GeneratorArrivalsTest {

  @Test
  void aShortRequestArrivingLateFinishesBeforeALongOneAndBothEqualTheirLoneResults() {
    Sampling sampling = new Sampling(1.0, 1, 0, 60, List.of(), new int[0]);
    Request slow = new Request(GeneratorTest.prompt(1, 9), sampling, 11);
    List<Request> late = GeneratorTest.mixedRequests(sampling); // 4 to 19 new tokens each
    List<Completion> alone = GeneratorTest.oneAtATime(concat(slow, late));

    List<Integer> finished = new ArrayList<>();
    List<Completion> got = new ArrayList<>();
    int[] calls = {0};
    GeneratorTest.generator(GeneratorOptions.defaults()).generate(List.of(slow), () -> {
      calls[0]++;
      // the others arrive after the slow one has decoded a few tokens, one per step
      int at = calls[0] - 5;
      return at >= 0 && at < late.size() ? List.of(late.get(at)) : List.of();
    }, (c, i) -> {
      finished.add(i);
      while (got.size() <= i) got.add(null);
      got.set(i, c);
    });

    // the same tokens as each alone (how many prompt tokens came from the prefix cache may differ)
    assertThat(got).extracting(c -> java.util.Arrays.toString(c.tokens()))
        .containsExactlyElementsOf(alone.stream().map(c -> java.util.Arrays.toString(c.tokens())).toList());
    assertThat(finished).hasSize(late.size() + 1);
    assertThat(finished.getLast()).as("the slow request, started first, finishes last").isZero();
  }

  static List<Request> concat(Request first, List<Request> rest) {
    List<Request> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
