package org.eef4j.student;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.ActionSpace;
import org.junit.jupiter.api.Test;

class ResultHandlesTest {

  static final String RESULTS = "Observation:\nInstruction: [SEP] Find me navy running shoes, size: 12 [SEP] Back to Search"
      + " [SEP] Page 1 (Total results: 50) [SEP] Next > [SEP] B03FVS63PI [SEP] Greystride Suede Running Shoes [SEP] $56.75"
      + " [SEP] B09O8T994V [SEP] Oakhurst Knit Running Shoes [SEP] $84.49 [SEP] B039IBYWWW [SEP] Kestrel Running Shoes"
      + " [SEP] $10.0 to $77.83";

  static final String ITEM = "Observation:\nInstruction: [SEP] Find me navy running shoes, size: 12 [SEP] Back to Search"
      + " [SEP] < Prev [SEP] color [SEP] navy [SEP] black [SEP] size [SEP] 12 [SEP] Greystride Suede Running Shoes"
      + " [SEP] Price: $56.75 [SEP] Buy Now";

  @Test
  void aResultsPageListsItsProductsByPositionAndKeepsEverythingElse() {
    ResultHandles.Page page = ResultHandles.read(RESULTS);
    assertThat(page.codes()).containsExactly("B03FVS63PI", "B09O8T994V", "B039IBYWWW");
    assertThat(page.text()).isEqualTo(RESULTS.replace("B03FVS63PI", "#1").replace("B09O8T994V", "#2")
        .replace("B039IBYWWW", "#3"));
  }

  @Test
  void pagesWithoutResultsAreReadAsTheyAre() {
    assertThat(ResultHandles.read(ITEM)).isEqualTo(new ResultHandles.Page(ITEM, List.of()));
    assertThat(ResultHandles.read("WebShop [SEP] Instruction: [SEP] Find me shoes [SEP] Search").codes()).isEmpty();
    assertThat(ResultHandles.read("no separators at all").text()).isEqualTo("no separators at all");
    // ten letters, or ten digits, are words or numbers, not codes, even before a price
    assertThat(ResultHandles.read("x [SEP] Sweatshirt [SEP] title [SEP] $5 [SEP] 1234567890 [SEP] t [SEP] $6").codes())
        .isEmpty();
  }

  @Test
  void clicksOnTheSeenPageTurnIntoPositionsAndBack() {
    ResultHandles.Page page = ResultHandles.read(RESULTS);
    assertThat(page.toStudent("Action: click[b09o8t994v]")).isEqualTo("Action: click[#2]");
    assertThat(page.toStudent("Thought: the first.\nAction: click[B03FVS63PI]")).isEqualTo("Thought: the first.\nAction: click[#1]");
    assertThat(page.toStudent("Action: click[Next >]")).isEqualTo("Action: click[Next >]");
    assertThat(page.toStudent("Action: click[B0ZZZZZZZZ]")).as("not on this page").isEqualTo("Action: click[B0ZZZZZZZZ]");
    assertThat(page.toEnvironment("Action: click[#2]")).isEqualTo("Action: click[B09O8T994V]");
    assertThat(page.toEnvironment("Action: click[#3]")).isEqualTo("Action: click[B039IBYWWW]");
    assertThat(page.toEnvironment("Action: click[#4]")).as("no fourth product: left for the environment to refuse")
        .isEqualTo("Action: click[#4]");
    assertThat(page.toEnvironment("Action: click[#0]")).isEqualTo("Action: click[#0]");
    assertThat(page.toEnvironment("Action: search[#1 shoes]")).isEqualTo("Action: search[#1 shoes]");
  }

  @Test
  void theActionSpaceOffersPositionsForProducts() {
    ResultHandles.Page page = ResultHandles.read(RESULTS);
    ActionSpace space = new ActionSpace(List.of("click[Back to Search]", "click[Next >]", "click[B03FVS63PI]",
        "click[b09o8t994v]", "click[B039IBYWWW]"), List.of("search"), Map.of("search", "navy shoes"));
    ActionSpace read = page.toStudent(space);
    assertThat(read.choices()).containsExactly("click[Back to Search]", "click[Next >]", "click[#1]", "click[#2]",
        "click[#3]");
    assertThat(read.textActions()).containsExactly("search");
    assertThat(read.givenTexts()).isEqualTo(Map.of("search", "navy shoes"));
    assertThat(ResultHandles.read(ITEM).toStudent(space)).isSameAs(space);
  }
}
