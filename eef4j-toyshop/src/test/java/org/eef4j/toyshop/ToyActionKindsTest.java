package org.eef4j.toyshop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.ActionKinds;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.eval.ActionKindCounts;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.junit.jupiter.api.Test;

/** The toy's pages follow WebShop's grammar: its action kinds are WebShop's, told apart by WebShop's rules. */
class ToyActionKindsTest {

  static String act(String a) {
    return "Thought: t\nAction: " + a;
  }

  @Test
  void namesWebShopsKindsByWebShopsRules() {
    String results = "Observation:\nInstruction: [SEP] x [SEP] Back to Search [SEP] Page 1 (Total results: 50) [SEP] Next >"
        + " [SEP] B0ABCDEFGH [SEP] Red shoes [SEP] $10.0 [SEP] B0ZZZZZZZZ [SEP] Blue shoes [SEP] $12.0";
    String item = "Observation:\nInstruction: [SEP] x [SEP] Back to Search [SEP] < Prev [SEP] size [SEP] m [SEP] Buy Now";
    List<Turn> turns =
        List.of(
            new Turn.Observation("WebShop [SEP] Instruction: [SEP] x [SEP] Search"),
            new Turn.Action(act("search[red shoes]"), Producer.AGENT, true),
            new Turn.Observation(results),
            new Turn.Action(act("click[Next >]"), Producer.AGENT, true),
            new Turn.Observation(results),
            new Turn.Action(act("click[B0ABCDEFGH]"), Producer.AGENT, true),
            new Turn.Observation(item),
            new Turn.Action(act("click[m]"), Producer.AGENT, true),
            new Turn.Observation(item),
            new Turn.Action("no action", Producer.AGENT, true),
            new Turn.Observation("Observation: Invalid format. The input must contains 'Action: '"),
            new Turn.Action(act("click[< Prev]"), Producer.AGENT, true),
            new Turn.Observation(results),
            new Turn.Action(act("click[B0ZZZZZZZZ]"), Producer.AGENT, true),
            new Turn.Observation(item),
            new Turn.Action(act("click[< Prev]"), Producer.AGENT, true),
            new Turn.Observation(results),
            new Turn.Action(act("click[Back to Search]"), Producer.AGENT, true),
            new Turn.Observation("WebShop [SEP] Search"),
            new Turn.Action(act("click[Buy Now]"), Producer.AGENT, true),
            new Turn.Observation("x"));
    Trajectory t = new Trajectory("1", "t", Start.INITIAL, turns, 0, false, Termination.DONE);
    ActionKinds kinds = ToyShop.factory().actionKinds();
    Map<String, Integer> usage = ActionKindCounts.of(List.of(t), kinds, ReactDialect.ETO);
    assertThat(usage.keySet()).as("every kind the environment names, in its order").containsExactlyElementsOf(kinds.names());
    assertThat(usage)
        .containsEntry("SEARCH", 1)
        .containsEntry("NEXT_PAGE", 1)
        .containsEntry("ITEM", 1)
        .containsEntry("LOWER_ITEM", 1)
        .containsEntry("OPTION", 1)
        .containsEntry("INVALID_FORMAT", 1)
        .containsEntry("PREV", 2)
        .containsEntry("BACK_TO_SEARCH", 1)
        .containsEntry("BUY", 1)
        .containsEntry("DETAILS", 0);
  }

  @Test
  void tellsTheFirstListedProductFromLowerOnesOnAnyPage() {
    String page2 = "Observation:\nInstruction: [SEP] x [SEP] Back to Search [SEP] Page 2 (Total results: 50) [SEP] < Prev"
        + " [SEP] Next > [SEP] B011111111 [SEP] Lamp [SEP] $9.5 [SEP] B022222222 [SEP] Plain lamp [SEP] $8.0";
    assertThat(kinds().of(ReactDialect.ETO.parseAction(act("click[B011111111]")), page2)).isEqualTo("ITEM");
    assertThat(kinds().of(ReactDialect.ETO.parseAction(act("click[b011111111]")), page2)).isEqualTo("ITEM");
    assertThat(kinds().of(ReactDialect.ETO.parseAction(act("click[B022222222]")), page2)).isEqualTo("LOWER_ITEM");
  }

  private static ActionKinds kinds() {
    return ToyShop.factory().actionKinds();
  }

  @Test
  void labelsTheFirstItemSo() {
    assertThat(ToyShop.factory().actionKinds().label("ITEM")).isEqualTo("first item");
    assertThat(ToyShop.factory().actionKinds().label("NEXT_PAGE")).isEqualTo("next page");
  }
}
