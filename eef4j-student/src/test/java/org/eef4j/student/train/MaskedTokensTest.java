package org.eef4j.student.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.junit.jupiter.api.Test;

/** The per-turn mask becomes a per-token mask over exactly the trained assistant turns and their end-of-turn token. */
class MaskedTokensTest {

  static TrainingExample handMade() {
    return new TrainingExample("t1", List.of(
        new TrainingMessage(Role.SYSTEM, "You shop.", false),
        new TrainingMessage(Role.USER, "find red shoes", false),
        new TrainingMessage(Role.ASSISTANT, "Action: search[red shoes]", true),
        new TrainingMessage(Role.USER, "Observation: page 1", false),
        new TrainingMessage(Role.ASSISTANT, "Action: click[item 3]", false),
        new TrainingMessage(Role.USER, "Observation: item 3", false),
        new TrainingMessage(Role.ASSISTANT, "Action: click[buy now]", true)));
  }

  /** The decoded texts of the mask's maximal runs of 1s. */
  static List<String> maskedRuns(MaskedTokens t) {
    List<String> runs = new ArrayList<>();
    int[] ids = t.ids();
    int[] mask = t.mask();
    for (int i = 0; i < ids.length; ) {
      if (mask[i] == 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < ids.length && mask[j] == 1) j++;
      runs.add(Tiny.TOKENIZER.decode(Arrays.copyOfRange(ids, i, j), false));
      i = j;
    }
    return runs;
  }

  @Test
  void exactlyTheTrainedAssistantTurnsAndTheirEndTokenAreMasked() {
    MaskedTokens t = MaskedTokens.of(handMade(), Tiny.FORMAT, Tiny.TOKENIZER);
    assertThat(Tiny.TOKENIZER.decode(t.ids(), false)).isEqualTo(
        "<|im_start|>system\nYou shop.<|im_end|>\n<|im_start|>user\nfind red shoes<|im_end|>\n"
            + "<|im_start|>assistant\nAction: search[red shoes]<|im_end|>\n<|im_start|>user\nObservation: page 1<|im_end|>\n"
            + "<|im_start|>assistant\nAction: click[item 3]<|im_end|>\n<|im_start|>user\nObservation: item 3<|im_end|>\n"
            + "<|im_start|>assistant\nAction: click[buy now]<|im_end|>\n");
    assertThat(maskedRuns(t)).containsExactly("Action: search[red shoes]<|im_end|>", "Action: click[buy now]<|im_end|>");
    int expected = Tiny.TOKENIZER.encode("Action: search[red shoes]", false).length + 1
        + Tiny.TOKENIZER.encode("Action: click[buy now]", false).length + 1;
    assertThat(t.targets()).isEqualTo(expected);
    assertThat(Arrays.stream(t.mask()).sum()).isEqualTo(expected);
  }

  @Test
  void anExampleWithoutTrainedTurnsHasNoTargetsAndTruncationKeepsThePrefix() {
    List<TrainingMessage> none = handMade().messages().stream()
        .map(m -> new TrainingMessage(m.role(), m.content(), false)).toList();
    MaskedTokens untrained = MaskedTokens.of(new TrainingExample("t2", none), Tiny.FORMAT, Tiny.TOKENIZER);
    assertThat(untrained.targets()).isZero();
    MaskedTokens full = MaskedTokens.of(handMade(), Tiny.FORMAT, Tiny.TOKENIZER);
    MaskedTokens cut = full.truncate(10);
    assertThat(cut.ids()).containsExactly(Arrays.copyOf(full.ids(), 10));
    assertThat(cut.mask()).containsExactly(Arrays.copyOf(full.mask(), 10));
    assertThat(full.truncate(10_000)).isSameAs(full);
  }

  @Test
  void aTurnWithSampledIdsIsTrainedOnThoseIdsNotOnItsTextRetokenized() {
    // "Action: click[buy now]" spelled one byte-level token per character: the same text, other ids
    String reply = "Action: click[buy now]";
    int[] spelled = new int[reply.length() + 1];
    for (int i = 0; i < reply.length(); i++) spelled[i] = Tiny.TOKENIZER.encode(reply.substring(i, i + 1), false)[0];
    spelled[reply.length()] = Tiny.TOKENIZER.id("<|im_end|>").orElseThrow();
    assertThat(Tiny.TOKENIZER.encode(reply, false)).hasSizeLessThan(reply.length()); // the canonical split differs
    List<TrainingMessage> messages = new ArrayList<>(handMade().messages());
    messages.set(6, new TrainingMessage(Role.ASSISTANT, reply, true, org.eef4j.core.trajectory.TokenIds.of(spelled)));
    MaskedTokens t = MaskedTokens.of(new TrainingExample("t3", messages), Tiny.FORMAT, Tiny.TOKENIZER);
    List<Integer> ids = Arrays.stream(t.ids()).boxed().toList();
    int at = java.util.Collections.indexOfSubList(ids, Arrays.stream(spelled).boxed().toList());
    assertThat(at).isPositive();
    assertThat(Arrays.copyOfRange(t.mask(), at, at + spelled.length)).containsOnly(1);
    assertThat(maskedRuns(t)).containsExactly("Action: search[red shoes]<|im_end|>", reply + "<|im_end|>");
  }
}
