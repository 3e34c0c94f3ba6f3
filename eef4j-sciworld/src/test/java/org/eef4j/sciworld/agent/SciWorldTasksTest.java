package org.eef4j.sciworld.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.eef4j.sciworld.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SciWorldTasksTest {

  @Test
  void etoSplitsHaveTheirSizesAndAreDisjoint() {
    SciWorldTasks.Splits splits = SciWorldTasks.Splits.read(Shared.etoSplits());
    assertThat(splits.train()).hasSize(1483);
    assertThat(splits.dev()).hasSize(194);
    assertThat(splits.test()).hasSize(211);
    var train = new HashSet<>(splits.train());
    assertThat(train).hasSize(1483);
    assertThat(splits.test()).noneMatch(train::contains);
    assertThat(splits.train().getFirst()).isEqualTo("9_412"); // ["task-2a-test-conductivity", 412]
  }

  @Test
  void aSuiteTakesEtosTrainAndTestSplitsWithTaskTypesAsCategories() {
    var suite = SciWorldTasks.Splits.read(Shared.etoSplits()).suite(100, -1);
    assertThat(suite.train()).hasSize(100);
    assertThat(suite.test()).hasSize(211);
    assertThat(suite.category("9_412")).isEqualTo("task-2a-test-conductivity");
    assertThat(suite.name()).contains("211");
  }

  @Test
  void idsAreEtosTaskNumbers() throws IOException {
    JsonNode ids = new ObjectMapper().readTree(Shared.etoSplits().resolve("taskname2id.json").toFile());
    for (var it = ids.fields(); it.hasNext(); ) {
      var e = it.next();
      assertThat(SciWorldTasks.ETO_NAMES.indexOf(e.getKey())).as(e.getKey()).isEqualTo(e.getValue().asInt());
    }
    assertThat(SciWorldTasks.parse("9_412")).isEqualTo(new SciWorldTasks.Task("task-2a-test-conductivity", 412));
    assertThat(SciWorldTasks.id("task-1-boil", 3)).isEqualTo("0_3");
  }

  @Test
  void badIdsAreErrorsNamingThem() {
    for (String bad : List.of("", "9", "_3", "9_", "30_1", "a_1", "9_-1", "webshop_3")) {
      assertThatThrownBy(() -> SciWorldTasks.parse(bad)).as(bad).hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void stepLimitsAreEtosWithAFallbackForTheTasksEtoDoesNotRun() {
    SciWorldTasks.StepLimits limits = SciWorldTasks.StepLimits.read(Shared.etoSplits().resolve("max_steps.json"), 100);
    assertThat(limits.of("0_0")).isEqualTo(100); // task-1-boil
    assertThat(limits.of("11_0")).isEqualTo(15); // task-3-find-animal
    assertThat(limits.of("28_0")).isEqualTo(100); // Mendelian genetics: not in ETO's table
    assertThat(limits.max()).isEqualTo(120);
  }

  @Test
  void aMalformedSplitIsAnErrorNamingFileAndElement(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("train_indices.json"), "[[\"task-1-boil\", 1], [\"task-x\", 2]]");
    assertThatThrownBy(() -> SciWorldTasks.readSplit(file))
        .hasMessageContaining(file.toString()).hasMessageContaining("element 1").hasMessageContaining("task-x");
  }

  @Test
  void agentGymOrderWalksScienceWorldsTasksWithoutTheExcludedOnes() {
    Map<String, Integer> counts = Map.of("boil", 2, "melt", 1);
    List<SciWorldTasks.Game> games = SciWorldTasks.agentGymGames(name -> counts.getOrDefault(name, 1));
    assertThat(games.subList(0, 4)).containsExactly(new SciWorldTasks.Game("boil", 0), new SciWorldTasks.Game("boil", 1),
        new SciWorldTasks.Game("melt", 0), new SciWorldTasks.Game("freeze", 0));
    assertThat(games).extracting(SciWorldTasks.Game::taskName)
        .doesNotContain("grow-plant", "grow-fruit", "inclined-plane-determine-angle", "mendelian-genetics-known-plant")
        .contains("find-animal", "chemistry-mix", "identify-life-stages-2");
    assertThat(games).hasSize(30 - 7 + 1);
  }
}
