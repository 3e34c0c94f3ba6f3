package org.eef4j.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.student.decoding.QueryStyle;
import org.eef4j.webshop.view.ClickNames;
import org.junit.jupiter.api.Test;

class ReplyStyleTest {

  static final ReplyStyle ACTIONS_ONLY = new ReplyStyle(false, true, QueryStyle.FREE);

  @Test
  void withoutThoughtsAnAssistantTurnIsCutToItsAction() {
    assertThat(ACTIONS_ONLY.reply("Thought: it is cheap.\nAction: click[Buy Now]")).isEqualTo("Action: click[Buy Now]");
    assertThat(ACTIONS_ONLY.reply("Action: search[a]")).isEqualTo("Action: search[a]");
    assertThat(ACTIONS_ONLY.reply("OK")).isEqualTo("OK");
    assertThat(ReplyStyle.FREE.reply("Thought: x\nAction: y")).isEqualTo("Thought: x\nAction: y");
  }

  @Test
  void trainingExamplesKeepTheirMasksAndUserTurns() {
    TrainingExample ex = new TrainingExample("t", List.of(
        new TrainingMessage(Role.USER, "Thought: not mine\nAction: x", false),
        new TrainingMessage(Role.ASSISTANT, "Thought: a\nAction: search[b]", true),
        new TrainingMessage(Role.USER, "Observation: c", false),
        new TrainingMessage(Role.ASSISTANT, "Thought: d\nAction: click[e]", false)));
    TrainingExample cut = ACTIONS_ONLY.example(ex);
    assertThat(cut.id()).isEqualTo("t");
    assertThat(cut.messages()).containsExactly(
        new TrainingMessage(Role.USER, "Thought: not mine\nAction: x", false),
        new TrainingMessage(Role.ASSISTANT, "Action: search[b]", true),
        new TrainingMessage(Role.USER, "Observation: c", false),
        new TrainingMessage(Role.ASSISTANT, "Action: click[e]", false));
    assertThat(ReplyStyle.FREE.example(ex)).isEqualTo(ex);
  }

  @Test
  void preferencePairsAreCutOnEverySide() {
    PreferencePair p = new PreferencePair("p", List.of(ChatMessage.user("u"), ChatMessage.assistant("Thought: 1\nAction: a")),
        List.of(ChatMessage.assistant("Thought: 2\nAction: b")), List.of(ChatMessage.assistant("Thought: 3\nAction: c")));
    PreferencePair cut = ACTIONS_ONLY.pair(p);
    assertThat(cut.prompt().get(1).content()).isEqualTo("Action: a");
    assertThat(cut.chosen().getFirst().content()).isEqualTo("Action: b");
    assertThat(cut.rejected().getFirst().content()).isEqualTo("Action: c");
  }

  @Test
  void copyingQueriesNeedsValidActionDecoding() {
    assertThatThrownBy(() -> new ReplyStyle(true, false, QueryStyle.WORDS_READ)).hasMessageContaining("valid actions");
  }

  static final ReplyStyle RENAMED = new ReplyStyle(false, true, QueryStyle.FREE, WebShopPages.view(WebShopPages.BOTH));

  @Test
  void renamedAReplyNamesItsClickAfterThePageItAnswers() {
    String results = WebShopPages.RESULTS;
    List<ChatMessage> read = RENAMED.messages(List.of(
        ChatMessage.user("Instruction: [SEP] Find me navy running shoes [SEP] Search"),
        ChatMessage.assistant("Thought: search.\nAction: search[navy running shoes]"),
        ChatMessage.user(results),
        ChatMessage.assistant("Thought: the second.\nAction: click[B09O8T994V]"),
        ChatMessage.user(WebShopPages.ITEM),
        ChatMessage.assistant("Action: click[navy]"),
        ChatMessage.user(WebShopPages.ITEM),
        ChatMessage.assistant("Action: click[Buy Now]"),
        ChatMessage.user("Thank you for shopping with us!"),
        ChatMessage.assistant("Action: click[navy]")));
    assertThat(read).extracting(ChatMessage::content).containsExactly(
        "Instruction: [SEP] Find me navy running shoes [SEP] Search",
        "Action: search[navy running shoes]",
        WebShopPages.BOTH.read(results).text(),
        "Action: click[#2]",
        WebShopPages.ITEM,
        "Action: click[color: navy]",
        WebShopPages.ITEM,
        "Action: click[Buy Now]",
        "Thank you for shopping with us!",
        "Action: click[navy]"); // not on a product page: as written
    assertThat(((ClickNames.Page) RENAMED.read(List.of(ChatMessage.user(results), ChatMessage.assistant("x"))).lastPage()).codes())
        .containsExactly("B03FVS63PI", "B09O8T994V", "B039IBYWWW");
    assertThat(ACTIONS_ONLY.read(List.of(ChatMessage.user(results))).lastPage()).as("codes as written")
        .isSameAs(org.eef4j.core.agent.StudentView.Page.AS_WRITTEN);
  }

  @Test
  void chosenOptionsShowOnTheProductPageThoughTheirPagesAreHidden() {
    ReplyStyle shown = new ReplyStyle(false, true, org.eef4j.student.decoding.QueryStyle.GIVEN,
        WebShopPages.view(new ClickNames.Naming(true, ClickNames.Options.NAMED, true)));
    String hidden = "Observation: (not shown)";
    List<ChatMessage> read = shown.messages(List.of(
        ChatMessage.user(hidden),
        ChatMessage.assistant("Action: click[B09O8T994V]"),
        ChatMessage.user(hidden),
        ChatMessage.assistant("Action: click[navy]"),
        ChatMessage.user(WebShopPages.ITEM),
        ChatMessage.assistant("Action: click[12]"),
        ChatMessage.user(WebShopPages.ITEM),
        ChatMessage.assistant("Action: click[< Prev]"),
        ChatMessage.user(WebShopPages.RESULTS),
        ChatMessage.assistant("Action: click[B03FVS63PI]"),
        ChatMessage.user(WebShopPages.ITEM)));
    assertThat(read.get(4).content()).contains("[SEP] color: navy [SEP]").contains("[SEP] size [SEP]");
    assertThat(read.get(5).content()).isEqualTo("Action: click[size: 12]");
    assertThat(read.get(6).content()).contains("[SEP] color: navy [SEP]").contains("[SEP] size: 12 [SEP]");
    assertThat(read.get(10).content()).as("another product opened: nothing chosen").isEqualTo(WebShopPages.ITEM);
    assertThat(shown.describe()).endsWith("options named, chosen options shown");
  }

  @Test
  void givenOptionsReadAsTheirGroupInEarlierActionsWhosePagesAreHidden() {
    ReplyStyle given = new ReplyStyle(false, true, org.eef4j.student.decoding.QueryStyle.GIVEN,
        WebShopPages.view(new ClickNames.Naming(true, ClickNames.Options.GIVEN)));
    String first = "WebShop [SEP] Instruction: [SEP] Find me running shoes with color: navy, and size: 12 [SEP] Search";
    String hidden = "Observation: (not shown)";
    List<ChatMessage> read = given.messages(List.of(
        ChatMessage.user(first),
        ChatMessage.assistant("Action: search[running shoes]"),
        ChatMessage.user(hidden),
        ChatMessage.assistant("Action: click[navy]"),
        ChatMessage.user(hidden),
        ChatMessage.assistant("Action: click[black]"),
        ChatMessage.user(WebShopPages.ITEM),
        ChatMessage.assistant("Action: click[12]")));
    assertThat(read.get(3).content()).isEqualTo("Action: click[option color]");
    assertThat(read.get(5).content()).as("not asked, page hidden: as the environment names it")
        .isEqualTo("Action: click[black]");
    assertThat(read.get(6).content()).as("color chosen: only size is offered")
        .contains("[SEP] < Prev [SEP] option size [SEP] Greystride");
    assertThat(read.get(7).content()).isEqualTo("Action: click[option size]");
    assertThat(given.describe()).endsWith("options by group with the instruction's values");
    ClickNames.Page last = (ClickNames.Page) given.read(List.of(
        ChatMessage.user(first),
        ChatMessage.assistant("Action: click[B03FVS63PI]"),
        ChatMessage.user(hidden),
        ChatMessage.assistant("Action: click[navy]"),
        ChatMessage.user(WebShopPages.ITEM))).lastPage();
    assertThat(last.offered()).as("the rollout's action space knows what was chosen").containsExactly("size");
  }

  @Test
  void renamedTrainingExamplesAndPairsReadThePagesTheSameWay() {
    String results = WebShopPages.RESULTS;
    TrainingExample ex = new TrainingExample("t", List.of(
        new TrainingMessage(Role.USER, results, false),
        new TrainingMessage(Role.ASSISTANT, "Thought: cheap.\nAction: click[B039IBYWWW]", true)));
    assertThat(RENAMED.example(ex).messages()).containsExactly(
        new TrainingMessage(Role.USER, WebShopPages.BOTH.read(results).text(), false),
        new TrainingMessage(Role.ASSISTANT, "Action: click[#3]", true));
    PreferencePair p = new PreferencePair("p", List.of(ChatMessage.user(results)),
        List.of(ChatMessage.assistant("Action: click[B03FVS63PI]"), ChatMessage.user("Observation: done")),
        List.of(ChatMessage.assistant("Action: click[B09O8T994V]")));
    PreferencePair read = RENAMED.pair(p);
    assertThat(read.prompt()).containsExactly(ChatMessage.user(WebShopPages.BOTH.read(results).text()));
    assertThat(read.chosen()).containsExactly(ChatMessage.assistant("Action: click[#1]"), ChatMessage.user("Observation: done"));
    assertThat(read.rejected()).containsExactly(ChatMessage.assistant("Action: click[#2]"));
  }
}
