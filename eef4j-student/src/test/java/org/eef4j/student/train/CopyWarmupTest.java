package org.eef4j.student.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.eef4j.core.agent.StudentView;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.webshop.view.WebShopView;
import org.junit.jupiter.api.Test;

class CopyWarmupTest {

  /** WebShop's drills: the environment the curriculum was measured on writes them. */
  static final StudentView.CopyDrills DRILLS = WebShopView.AS_WRITTEN.copyDrills().orElseThrow();

  @Test
  void eachConversationAsksForWordsAndTheTrainedReplyRepeatsThemInOrder() {
    CopyWarmup w = new CopyWarmup(50, 1, 1e-3, 256, 0, 3);
    List<String> words = List.of("cotton", "white", "large", "zipper", "radio");
    List<TrainingExample> examples = w.examples(words, DRILLS);
    assertThat(examples).hasSize(50);
    for (TrainingExample ex : examples) {
      assertThat(ex.messages()).hasSize(2);
      assertThat(ex.messages().get(0).role()).isEqualTo(Role.USER);
      assertThat(ex.messages().get(0).trained()).isFalse();
      assertThat(ex.messages().get(1).trained()).isTrue();
      String asked = ex.messages().get(0).content();
      assertThat(asked).startsWith("Find me ").endsWith(" please");
      List<String> picked = List.of(asked.substring(8, asked.length() - 7).split(", "));
      assertThat(picked).hasSizeBetween(3, 7);
      assertThat(words).containsAll(picked);
      assertThat(ex.messages().get(1).content()).isEqualTo("Action: search[" + String.join(" ", picked) + "]");
    }
    assertThat(w.examples(words, DRILLS)).isEqualTo(examples);
    assertThat(new CopyWarmup(50, 1, 1e-3, 256, 0, 4).examples(words, DRILLS)).isNotEqualTo(examples);
  }

  @Test
  void namedValuesAskForOneNameAndTheReplyGivesTheValueTheRequestGaveIt() {
    CopyWarmup w = new CopyWarmup(200, 1, 1e-3, 256, 0, 5, CopyWarmup.Form.NAMED_VALUES);
    List<String> words = List.of("cotton", "white", "large", "zipper", "radio", "color", "size");
    java.util.regex.Pattern pair = java.util.regex.Pattern.compile("(?:with |, and )([a-z]+): ([a-z]+(?: [a-z]+)?)");
    java.util.Set<Integer> nameCounts = new java.util.HashSet<>();
    for (TrainingExample ex : w.examples(words, DRILLS)) {
      String request = ex.messages().get(0).content();
      assertThat(request).startsWith("Find me ");
      int sep = request.lastIndexOf(" [SEP] ");
      String asked = request.substring(sep + 7);
      java.util.Map<String, String> named = new java.util.LinkedHashMap<>();
      java.util.regex.Matcher m = pair.matcher(request.substring(0, sep));
      while (m.find()) assertThat(named.put(m.group(1), m.group(2))).as("names are distinct").isNull();
      assertThat(named).containsKey(asked);
      nameCounts.add(named.size());
      assertThat(ex.messages().get(1).content()).isEqualTo("Action: click[" + asked + ": " + named.get(asked) + "]");
      assertThat(ex.messages().get(1).trained()).isTrue();
      assertThat(ex.messages().get(0).trained()).isFalse();
    }
    assertThat(nameCounts).containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void echoesRepeatTheirWordsVerbatimInTheirShareOfTheConversations() {
    List<String> words = List.of("cotton", "white", "large", "zipper", "radio");
    List<String> names = List.of("color", "size");
    CopyWarmup plain = new CopyWarmup(400, 1, 1e-3, 256, 0, 5, CopyWarmup.Form.NAMED_VALUES);
    List<TrainingExample> mixed = plain.withEchoes(0.5).examples(words, names, DRILLS);
    int echoes = 0;
    java.util.Set<Integer> lengths = new java.util.HashSet<>();
    for (TrainingExample ex : mixed) {
      String said = ex.messages().get(0).content();
      String reply = ex.messages().get(1).content();
      assertThat(ex.messages().get(1).trained()).isTrue();
      if (said.startsWith("Find me ")) {
        assertThat(reply).startsWith("Action: click[");
        continue;
      }
      echoes++;
      assertThat(reply).isEqualTo(said);
      List<String> picked = List.of(said.split(" "));
      assertThat(words).containsAll(picked);
      lengths.add(picked.size());
    }
    assertThat(echoes).isBetween(160, 240);
    assertThat(lengths).contains(4, 12).allMatch(n -> n >= 4 && n <= 12);
    assertThat(plain.withEchoes(1).examples(words, names, DRILLS)).allMatch(ex -> !ex.messages().get(0).content().startsWith("Find"));
    // no echoes: the curriculum of a warm-up without them, conversation for conversation
    assertThat(plain.withEchoes(0).examples(words, names, DRILLS)).isEqualTo(plain.examples(words, names, DRILLS));
    assertThatThrownBy(() -> plain.withEchoes(1.5)).hasMessageContaining("echoes must be in [0, 1]");
  }

  @Test
  void heldOutRequestsAreNewOnesOfTheSameFormWithoutEchoes() {
    List<String> words = List.of("cotton", "white", "large", "zipper", "radio", "teal", "plus", "honey");
    List<String> names = List.of("color", "size", "flavor name");
    CopyWarmup w = new CopyWarmup(300, 1, 1e-3, 256, 0, 5, CopyWarmup.Form.NAMED_VALUES, 0.5);
    List<TrainingExample> trained = w.examples(words, names, DRILLS);
    List<TrainingExample> heldOut = w.heldOut(words, names, 40, DRILLS);
    assertThat(heldOut).hasSize(40).isEqualTo(w.heldOut(words, names, 40, DRILLS))
        .allMatch(ex -> ex.messages().get(0).content().startsWith("Find me ")
            && ex.messages().get(1).content().startsWith("Action: click["));
    java.util.Set<String> seen = new java.util.HashSet<>();
    trained.forEach(ex -> seen.add(ex.messages().get(0).content()));
    assertThat(heldOut.stream().filter(ex -> seen.contains(ex.messages().get(0).content())).count())
        .as("held-out requests the curriculum also holds").isLessThan(4);
  }

  @Test
  void namedValuesUseTheOptionNamesTheInstructionsGive() {
    List<String> instructions = List.of(
        "WebShop [SEP] Instruction: [SEP] Find me running shoes with color: white, and size: 12, and price lower than 60.00 dollars",
        "WebShop [SEP] Instruction: [SEP] Find me protein bars with flavor name: honey, and size: 20 count [SEP] Search",
        "Find me a lamp with Style: modern");
    List<String> names = DRILLS.names(instructions);
    assertThat(names).containsExactly("color", "size", "flavor name", "style");

    CopyWarmup w = new CopyWarmup(300, 1, 1e-3, 256, 0, 5, CopyWarmup.Form.NAMED_VALUES);
    List<String> words = List.of("cotton", "white", "large", "zipper", "radio");
    java.util.Set<String> asked = new java.util.HashSet<>();
    for (TrainingExample ex : w.examples(words, names, DRILLS)) {
      String request = ex.messages().get(0).content();
      String name = request.substring(request.lastIndexOf(" [SEP] ") + 7);
      asked.add(name);
      assertThat(request).contains(" " + name + ": ");
      assertThat(ex.messages().get(1).content()).startsWith("Action: click[" + name + ": ");
    }
    assertThat(asked).containsExactlyInAnyOrderElementsOf(names);
    // fewer than two names: the words name the options, as without names
    assertThat(w.examples(words, List.of("size"), DRILLS)).isEqualTo(w.examples(words, DRILLS));
  }

  @Test
  void theVocabularyIsTheCorpusMostFrequentWords() {
    assertThat(CopyWarmup.vocabulary(List.of("Red shoes, size 12 [SEP] B0ABC", "red Shoes x y size", "x x shoes")))
        .containsExactly("shoes", "red", "size", "sep", "abc");
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add("" + (char) ('a' + i / 676) + (char) ('a' + i / 26 % 26) + (char) ('a' + i % 26) + " common");
    }
    assertThat(CopyWarmup.vocabulary(many)).hasSize(CopyWarmup.VOCABULARY).startsWith("common");
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new CopyWarmup(0, 1, 1e-3, 256, 0, 1)).hasMessageContaining("at least one conversation");
    assertThatThrownBy(() -> new CopyWarmup(10, 1, 1e-3, 64, 0, 1)).hasMessageContaining("at least 128");
    assertThatThrownBy(() -> CopyWarmup.defaults().examples(List.of("one"), DRILLS)).hasMessageContaining("two words");
  }
}
