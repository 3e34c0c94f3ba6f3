package org.eef4j.webshop.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.eef4j.core.agent.ActionSpace;
import org.junit.jupiter.api.Test;

class ClickNamesTest {

  static final ClickNames.Naming BOTH = new ClickNames.Naming(true, ClickNames.Options.NAMED);

  static final String RESULTS = "Observation:\nInstruction: [SEP] Find me running shoes with color: navy, and size: 12 [SEP] Back to Search"
      + " [SEP] Page 1 (Total results: 50) [SEP] Next > [SEP] B03FVS63PI [SEP] Greystride Suede Running Shoes [SEP] $56.75"
      + " [SEP] B09O8T994V [SEP] Oakhurst Knit Running Shoes [SEP] $84.49 [SEP] B039IBYWWW [SEP] Kestrel Running Shoes"
      + " [SEP] $10.0 to $77.83";

  static final String ITEM = "Observation:\nInstruction: [SEP] Find me running shoes with color: navy, and size: 12 [SEP] Back to Search"
      + " [SEP] < Prev [SEP] color [SEP] navy [SEP] black [SEP] size [SEP] 12 [SEP] Greystride Suede Running Shoes"
      + " [SEP] Price: $56.75 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now";

  @Test
  void aResultsPageListsItsProductsByPositionAndKeepsEverythingElse() {
    ClickNames.Page page = BOTH.read(RESULTS);
    assertThat(page.codes()).containsExactly("B03FVS63PI", "B09O8T994V", "B039IBYWWW");
    assertThat(page.productPage()).isFalse();
    assertThat(page.text()).isEqualTo(RESULTS.replace("B03FVS63PI", "#1").replace("B09O8T994V", "#2")
        .replace("B039IBYWWW", "#3"));
    assertThat(new ClickNames.Naming(false, ClickNames.Options.NAMED).read(RESULTS).text()).as("products as written")
        .isEqualTo(RESULTS);
  }

  @Test
  void otherPagesAreReadAsTheyAre() {
    assertThat(BOTH.read(ITEM)).isEqualTo(new ClickNames.Page(ITEM, List.of(), Map.of("navy", "color", "black", "color", "12", "size")));
    assertThat(BOTH.read("WebShop [SEP] Instruction: [SEP] Find me shoes [SEP] Search").codes()).isEmpty();
    assertThat(BOTH.read("no separators at all").text()).isEqualTo("no separators at all");
    // ten letters, or ten digits, are words or numbers, not codes, even before a price
    assertThat(BOTH.read("x [SEP] Sweatshirt [SEP] title [SEP] $5 [SEP] 1234567890 [SEP] t [SEP] $6").codes()).isEmpty();
    assertThat(ClickNames.Naming.AS_WRITTEN.read(RESULTS)).isEqualTo(new ClickNames.Page(RESULTS, List.of(), null));
    assertThat(ClickNames.Naming.AS_WRITTEN.read(ITEM).productPage()).isFalse();
  }

  @Test
  void productClicksTurnIntoPositionsAndBack() {
    ClickNames.Page page = BOTH.read(RESULTS);
    assertThat(page.toStudent("Action: click[b09o8t994v]")).isEqualTo("Action: click[#2]");
    assertThat(page.toStudent("Thought: the first.\nAction: click[B03FVS63PI]")).isEqualTo("Thought: the first.\nAction: click[#1]");
    assertThat(page.toStudent("Action: click[Next >]")).isEqualTo("Action: click[Next >]");
    assertThat(page.toStudent("Action: click[B0ZZZZZZZZ]")).as("not on this page").isEqualTo("Action: click[B0ZZZZZZZZ]");
    assertThat(page.toEnvironment("Action: click[#2]")).isEqualTo("Action: click[B09O8T994V]");
    assertThat(page.toEnvironment("Action: click[#3]")).isEqualTo("Action: click[B039IBYWWW]");
    assertThat(page.toEnvironment("Action: click[#4]")).as("no fourth product: left for the environment to refuse")
        .isEqualTo("Action: click[#4]");
    assertThat(page.toEnvironment("Action: click[#0]")).isEqualTo("Action: click[#0]");
    assertThat(page.toEnvironment("Action: click[#x]")).isEqualTo("Action: click[#x]");
    assertThat(page.toEnvironment("Action: search[#1 shoes]")).isEqualTo("Action: search[#1 shoes]");
  }

  @Test
  void optionClicksCarryTheirGroupAndLoseItForTheEnvironment() {
    ClickNames.Page page = BOTH.read(ITEM);
    assertThat(page.toStudent("Action: click[navy]")).isEqualTo("Action: click[color: navy]");
    assertThat(page.toStudent("Action: click[Black]")).isEqualTo("Action: click[color: Black]");
    assertThat(page.toStudent("Action: click[12]")).isEqualTo("Action: click[size: 12]");
    for (String button : List.of("Buy Now", "buy now", "< Prev", "Back to Search", "Description", "Features", "Reviews")) {
      assertThat(page.toStudent("Action: click[" + button + "]")).isEqualTo("Action: click[" + button + "]");
    }
    assertThat(page.toEnvironment("Action: click[color: navy]")).isEqualTo("Action: click[navy]");
    assertThat(page.toEnvironment("Action: click[size: 12]")).isEqualTo("Action: click[12]");
    assertThat(page.toEnvironment("Action: click[size: navy]")).as("not its group").isEqualTo("Action: click[size: navy]");
    assertThat(page.toEnvironment("Action: click[Buy Now]")).isEqualTo("Action: click[Buy Now]");
    assertThat(BOTH.read(RESULTS).toStudent("Action: click[navy]")).as("not a product page").isEqualTo("Action: click[navy]");
    assertThat(new ClickNames.Naming(true, ClickNames.Options.VALUES).read(ITEM).toStudent("Action: click[navy]"))
        .isEqualTo("Action: click[navy]");
  }

  @Test
  void prefixedOptionClicksStartWithOneCommonWordAndLoseItForTheEnvironment() {
    ClickNames.Naming prefixed = new ClickNames.Naming(true, ClickNames.Options.PREFIXED);
    ClickNames.Page page = prefixed.read(ITEM);
    assertThat(page.text()).isEqualTo(BOTH.read(ITEM).text());
    assertThat(page.toStudent("Action: click[navy]")).isEqualTo("Action: click[option color: navy]");
    assertThat(page.toStudent("Action: click[12]")).isEqualTo("Action: click[option size: 12]");
    assertThat(page.toStudent("Action: click[Buy Now]")).isEqualTo("Action: click[Buy Now]");
    assertThat(page.toEnvironment("Action: click[option color: navy]")).isEqualTo("Action: click[navy]");
    assertThat(page.toEnvironment("Action: click[option size: 12]")).isEqualTo("Action: click[12]");
    assertThat(page.toEnvironment("Action: click[option size: navy]")).as("not its group")
        .isEqualTo("Action: click[option size: navy]");
    assertThat(page.toEnvironment("Action: click[Buy Now]")).isEqualTo("Action: click[Buy Now]");
    assertThat(prefixed.read(ITEM).toStudent(prefixed.read(ITEM).toEnvironment("Action: click[option size: 12]")))
        .isEqualTo("Action: click[option size: 12]");
  }

  @Test
  void givenOptionsAreClickedByGroupWithTheInstructionsValue() {
    ClickNames.Naming given = new ClickNames.Naming(true, ClickNames.Options.GIVEN);
    ClickNames.Page page = given.read(ITEM);
    assertThat(page.text()).isEqualTo(ITEM.replace("color [SEP] navy [SEP] black [SEP] size [SEP] 12",
        "option color [SEP] option size"));
    assertThat(page.asked()).isEqualTo(Map.of("color", "navy", "size", "12"));
    assertThat(page.offered()).containsExactlyInAnyOrder("color", "size");
    assertThat(page.toStudent("Action: click[navy]")).isEqualTo("Action: click[option color]");
    assertThat(page.toStudent("Action: click[12]")).isEqualTo("Action: click[option size]");
    assertThat(page.toStudent("Action: click[black]")).as("a value not asked keeps its name")
        .isEqualTo("Action: click[option color: black]");
    assertThat(page.toStudent("Action: click[Buy Now]")).isEqualTo("Action: click[Buy Now]");
    assertThat(page.toEnvironment("Action: click[option color]")).isEqualTo("Action: click[navy]");
    assertThat(page.toEnvironment("Action: click[option size]")).isEqualTo("Action: click[12]");
    assertThat(page.toEnvironment("Action: click[option color: black]")).isEqualTo("Action: click[black]");
    assertThat(page.toEnvironment("Action: click[option style]")).as("no such group: left for the environment to refuse")
        .isEqualTo("Action: click[option style]");
    ActionSpace space = new ActionSpace(List.of("click[Back to Search]", "click[< Prev]", "click[navy]", "click[black]",
        "click[12]", "click[Buy Now]"), List.of(), Map.of());
    assertThat(page.toStudent(space).choices()).as("values the instruction does not ask for are not offered")
        .containsExactly("click[Back to Search]", "click[< Prev]", "click[option color]", "click[option size]",
            "click[Buy Now]");
  }

  @Test
  void givenOptionsOfferNothingForAValueThePageLacks() {
    String otherProduct = ITEM.replace("[SEP] navy [SEP] black", "[SEP] teal [SEP] black");
    ClickNames.Page page = new ClickNames.Naming(true, ClickNames.Options.GIVEN).read(otherProduct);
    assertThat(page.asked()).isEqualTo(Map.of("size", "12"));
    assertThat(page.text()).contains("[SEP] < Prev [SEP] option size [SEP] Greystride");
    ActionSpace space = new ActionSpace(List.of("click[teal]", "click[black]", "click[12]", "click[Buy Now]"), List.of(),
        Map.of());
    assertThat(page.toStudent(space).choices()).containsExactly("click[option size]", "click[Buy Now]");
  }

  @Test
  void givenOptionsChosenAlreadyAreNeitherShownNorOffered() {
    ClickNames.Naming given = new ClickNames.Naming(true, ClickNames.Options.GIVEN);
    ActionSpace space = new ActionSpace(List.of("click[navy]", "click[black]", "click[12]", "click[Buy Now]"), List.of(),
        Map.of());
    ClickNames.Page afterColor = given.read(ITEM, List.of("Navy"));
    assertThat(afterColor.offered()).containsExactly("size");
    assertThat(afterColor.text()).contains("[SEP] < Prev [SEP] option size [SEP] Greystride");
    assertThat(afterColor.toStudent(space).choices()).containsExactly("click[option size]", "click[Buy Now]");
    assertThat(afterColor.toStudent("Action: click[navy]")).as("still named by its group")
        .isEqualTo("Action: click[option color]");
    ClickNames.Page afterBoth = given.read(ITEM, List.of("navy", "black", "12"));
    assertThat(afterBoth.text()).contains("[SEP] < Prev [SEP] Greystride Suede Running Shoes [SEP]");
    assertThat(afterBoth.toStudent(space).choices()).containsExactly("click[Buy Now]");
    assertThat(afterBoth.toEnvironment("Action: click[option size]")).isEqualTo("Action: click[12]");
    assertThatThrownBy(() -> new ClickNames.Page("x", List.of(), Map.of(), ClickNames.Options.GIVEN, Map.of(),
        java.util.Set.of("size"))).hasMessageContaining("not all asked");
  }

  @Test
  void anInstructionAsksForValuesByGroup() {
    assertThat(ClickNames.askedValues("Find me moisture wicking t-shirt with crew neck with color: White, and size: large,"
        + " and price lower than 60.00 dollars")).isEqualTo(Map.of("white", "color", "large", "size"));
    assertThat(ClickNames.askedValues("Find me protein bars with fiber rich with flavor name: sea salt, and size: 24"
        + " count, and price lower than 70.00 dollars")).isEqualTo(Map.of("sea salt", "flavor name", "24 count", "size"));
    assertThat(ClickNames.askedValues("i want a pair of black running shoes in size 10, under 40 dollars")).isEmpty();
    assertThat(ProductPageFields.instructionIn(ITEM)).isEqualTo("Find me running shoes with color: navy, and size: 12");
    assertThat(ProductPageFields.instructionIn("WebShop [SEP] Instruction: [SEP] Find me shoes [SEP] Search"))
        .isEqualTo("Find me shoes");
    assertThat(ProductPageFields.instructionIn("Observation: (not shown)")).isEmpty();
    assertThat(ClickNames.nameAskedClicks("Action: click[Navy]", Map.of("navy", "color")))
        .isEqualTo("Action: click[option color]");
    assertThat(ClickNames.nameAskedClicks("Action: click[black]", Map.of("navy", "color")))
        .isEqualTo("Action: click[black]");
  }

  @Test
  void groupsTheInstructionDoesNotNameAreOptions() {
    String page = ITEM.replace("and size: 12", "in size 12");
    ClickNames.Page read = BOTH.read(page);
    assertThat(read.groups()).containsEntry("navy", "color").containsEntry("size", "color").containsEntry("12", "color");
    String unnamed = ITEM.replace("with color: navy, and size: 12", "in navy");
    assertThat(BOTH.read(unnamed).toStudent("Action: click[12]")).isEqualTo("Action: click[option: 12]");
    assertThat(BOTH.read(unnamed).toEnvironment("Action: click[option: 12]")).isEqualTo("Action: click[12]");
    // the title and what follows it are not options, even when the instruction names a word of theirs
    assertThat(BOTH.read(ITEM).groups()).doesNotContainKeys("greystride suede running shoes", "price: $56.75", "buy now");
  }

  @Test
  void aGroupNameMayHaveSeveralWords() {
    String page = "Observation:\nInstruction: [SEP] Find me protein bars with flavor name: honey, and size: 20 count"
        + " [SEP] Back to Search [SEP] < Prev [SEP] flavor name [SEP] original [SEP] honey [SEP] size [SEP] 20 count"
        + " [SEP] 40 count [SEP] Oakhurst Protein Bars [SEP] Price: $12.50 [SEP] Rating: N.A. [SEP] Buy Now";
    ClickNames.Page read = BOTH.read(page);
    assertThat(read.toStudent("Action: click[honey]")).isEqualTo("Action: click[flavor name: honey]");
    assertThat(read.toStudent("Action: click[40 count]")).isEqualTo("Action: click[size: 40 count]");
    assertThat(read.toEnvironment("Action: click[flavor name: original]")).isEqualTo("Action: click[original]");
  }

  @Test
  void aProductPageShowsTheOptionsChosenOnIt() {
    ClickNames.Naming shown = new ClickNames.Naming(true, ClickNames.Options.NAMED, true);
    ClickNames.Page page = shown.read(ITEM, List.of("navy", "12"));
    assertThat(page.text()).contains(" [SEP] < Prev [SEP] color: navy [SEP] navy [SEP] black [SEP] size: 12 [SEP] 12 [SEP] ");
    // what the clicks are named does not change with the view
    assertThat(page.groups()).isEqualTo(shown.read(ITEM).groups());
    assertThat(shown.read(ITEM).text()).isEqualTo(ITEM);
    // the last value chosen in a group is the one shown; values of no named group and other pages change nothing
    assertThat(shown.read(ITEM, List.of("navy", "black")).text()).contains("[SEP] color: black [SEP] navy").contains("[SEP] size [SEP]");
    assertThat(shown.read(ITEM, List.of("Greystride Suede Running Shoes", "teal")).text()).isEqualTo(ITEM);
    assertThat(shown.read(RESULTS, List.of("navy")).text()).isEqualTo(BOTH.read(RESULTS).text());
    // without the flag the page reads as written
    assertThat(BOTH.read(ITEM, List.of("navy")).text()).isEqualTo(ITEM);
  }

  @Test
  void chosenOptionsLastUntilAnotherProductOpens() {
    List<String> chosen = List.of();
    chosen = ClickNames.chosenAfter(chosen, "Action: click[navy]");
    chosen = ClickNames.chosenAfter(chosen, "Action: click[Description]");
    chosen = ClickNames.chosenAfter(chosen, "Action: click[12]");
    assertThat(chosen).containsExactly("navy", "12");
    assertThat(ClickNames.chosenAfter(chosen, "Action: click[< Prev]")).isEqualTo(chosen);
    assertThat(ClickNames.chosenAfter(chosen, "Action: click[B09O8T994V]")).isEmpty();
    assertThat(ClickNames.chosenAfter(chosen, "Action: click[#2]")).isEmpty();
    assertThat(ClickNames.chosenAfter(chosen, "Action: click[Back to Search]")).isEmpty();
    assertThat(ClickNames.chosenAfter(chosen, "Action: search[navy shoes]")).isEmpty();
    assertThat(ClickNames.chosenAfter(chosen, "no action here")).isEqualTo(chosen);
    assertThatThrownBy(() -> new ClickNames.Naming(true, ClickNames.Options.VALUES, true)).hasMessageContaining("name the options");
  }

  @Test
  void theActionSpaceIsWrittenAsTheStudentWritesIt() {
    ActionSpace results = new ActionSpace(List.of("click[Back to Search]", "click[Next >]", "click[B03FVS63PI]",
        "click[b09o8t994v]", "click[B039IBYWWW]"), List.of("search"), Map.of("search", "navy shoes"));
    ActionSpace read = BOTH.read(RESULTS).toStudent(results);
    assertThat(read.choices()).containsExactly("click[Back to Search]", "click[Next >]", "click[#1]", "click[#2]",
        "click[#3]");
    assertThat(read.textActions()).containsExactly("search");
    assertThat(read.givenTexts()).isEqualTo(Map.of("search", "navy shoes"));
    ActionSpace item = new ActionSpace(List.of("click[Back to Search]", "click[< Prev]", "click[navy]", "click[black]",
        "click[12]", "click[Description]", "click[Features]", "click[Reviews]", "click[Buy Now]"), List.of());
    assertThat(BOTH.read(ITEM).toStudent(item).choices()).containsExactly("click[Back to Search]", "click[< Prev]",
        "click[color: navy]", "click[color: black]", "click[size: 12]", "click[Description]", "click[Features]",
        "click[Reviews]", "click[Buy Now]");
    assertThat(BOTH.read("WebShop [SEP] Search").toStudent(item)).isSameAs(item);
  }
}
