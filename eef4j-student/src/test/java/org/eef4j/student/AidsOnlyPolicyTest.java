package org.eef4j.student;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.ActionSpace;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.pipeline.AidsOnlyControl;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.student.decoding.QueryStyle;
import org.eef4j.webshop.view.ClickNames;
import org.junit.jupiter.api.Test;

/** The aids-only control plays the plan its rule states, through the same renaming as the student's replies. */
class AidsOnlyPolicyTest {

  static final ReplyStyle DEMO =
      new ReplyStyle(false, true, QueryStyle.GIVEN, WebShopPages.view(new ClickNames.Naming(true, ClickNames.Options.GIVEN)));

  static final String INSTRUCTION = "Find me running shoes with color: navy, and size: 12";
  static final String SEARCH = "WebShop [SEP] Instruction: [SEP] " + INSTRUCTION + " [SEP] Search";
  static final ActionSpace SEARCH_SPACE = new ActionSpace(List.of(), List.of("search"), Map.of("search", INSTRUCTION));
  static final ActionSpace RESULTS_SPACE = new ActionSpace(List.of("click[Back to Search]", "click[Next >]",
      "click[B03FVS63PI]", "click[B09O8T994V]", "click[B039IBYWWW]"), List.of());
  static final ActionSpace ITEM_SPACE = new ActionSpace(List.of("click[Back to Search]", "click[< Prev]",
      "click[navy]", "click[black]", "click[12]", "click[Description]", "click[Buy Now]"), List.of());

  /** The control's reply after this conversation, whose last page offers {@code space}. */
  private static Reply act(ReplyStyle style, ActionSpace space, String... turns) {
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < turns.length; i++) {
      messages.add(i % 2 == 0 ? ChatMessage.user(turns[i]) : ChatMessage.assistant(turns[i]));
    }
    AidsOnlyControl control = AidsOnlyPolicy.of(style).orElseThrow();
    return control.policy().generate(List.of(new GenerationRequest(messages, 7, space)), SamplingParams.greedy())
        .getFirst();
  }

  private static String text(Reply r) {
    return ((Reply.Text) r).text();
  }

  @Test
  void withTheDemosAidsItSearchesTheInstructionOpensTheFirstProductClicksEachAskedGroupAndBuys() {
    assertThat(text(act(DEMO, SEARCH_SPACE, SEARCH))).isEqualTo("Action: search[" + INSTRUCTION + "]");
    assertThat(text(act(DEMO, RESULTS_SPACE, SEARCH, "Action: search[x]", WebShopPages.RESULTS)))
        .as("the first product, named back by its code").isEqualTo("Action: click[B03FVS63PI]");
    String opened = "Action: click[B03FVS63PI]";
    assertThat(text(act(DEMO, ITEM_SPACE, SEARCH, opened, WebShopPages.ITEM)))
        .as("the first asked group still offered, with the instruction's value").isEqualTo("Action: click[navy]");
    assertThat(text(act(DEMO, ITEM_SPACE, SEARCH, opened, "Observation: (not shown)", "Action: click[navy]",
        WebShopPages.ITEM))).as("color chosen: size next").isEqualTo("Action: click[12]");
    assertThat(text(act(DEMO, ITEM_SPACE, SEARCH, opened, "Observation: (not shown)", "Action: click[navy]",
        "Observation: (not shown)", "Action: click[12]", WebShopPages.ITEM))).isEqualTo("Action: click[Buy Now]");
  }

  @Test
  void itUsesNoAidTheStudentLacks() {
    ReplyStyle wordsAndValues =
        new ReplyStyle(false, true, QueryStyle.WORDS_READ, WebShopPages.view(new ClickNames.Naming(false, ClickNames.Options.NAMED)));
    assertThat(act(wordsAndValues, SEARCH_SPACE, SEARCH)).as("no query given: nothing it may write")
        .isInstanceOf(Reply.Failed.class);
    assertThat(text(act(wordsAndValues, RESULTS_SPACE, WebShopPages.RESULTS)))
        .as("products by their codes: still the first").isEqualTo("Action: click[B03FVS63PI]");
    assertThat(text(act(wordsAndValues, ITEM_SPACE, WebShopPages.ITEM)))
        .as("which value is asked is the student's to learn: no option, Buy Now").isEqualTo("Action: click[Buy Now]");
  }

  @Test
  void aStudentThatDecodesFreelyHasNoControl() {
    assertThat(AidsOnlyPolicy.of(ReplyStyle.FREE)).isEmpty();
    assertThat(AidsOnlyPolicy.of(new ReplyStyle(false, false, QueryStyle.FREE,
        WebShopPages.view(new ClickNames.Naming(true, ClickNames.Options.NAMED))))).isEmpty();
    assertThat(AidsOnlyPolicy.of(DEMO).orElseThrow().rule()).isEqualTo(org.eef4j.webshop.view.WebShopControlRule.RULE);
  }

  @Test
  void aRequestWithoutAnActionSpaceGetsNoAction() {
    Reply r = AidsOnlyPolicy.of(DEMO).orElseThrow().policy()
        .generate(List.of(new GenerationRequest(List.of(ChatMessage.user(SEARCH)), 1)), SamplingParams.greedy())
        .getFirst();
    assertThat(r).isInstanceOf(Reply.Failed.class);
  }
}
