package org.eef4j.webshop.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.ReplayCheck;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.agent.RolloutRunner;
import org.eef4j.core.format.ExpertFiles;
import org.eef4j.core.format.FormatException;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.pipeline.ExpertImport;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.eef4j.webshop.agent.Shops;
import org.eef4j.webshop.agent.WebShopEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three shapes of expert files people bring, each replayed in WebShop-1k: the fixtures (written by {@link
 * ExpertFixtures} from the scripted expert's episodes on AgentGym training goals) hold trajectories that replay and one
 * per file that does not, which must be reported with its id and first differing step.
 */
class ExpertImportTest {

  /** The run's prompt: ETO's dialect, whatever the file's. */
  static final ReactPrompt RUN = new ReactPrompt("You are web shopping.", List.of());

  static Path fixture(String name) {
    try {
      return Path.of(ExpertImportTest.class.getResource("/experts/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static ExpertImport.Result importFile(ExpertFiles.Shape shape, String file, ExpertFiles.Options options) {
    return ExpertImport.run(shape, fixture(file), options, new WebShopEnvironments(Shops.webshop1k()), RUN);
  }

  @Test
  void etoSftItemsReplayAndTheOneRecordedOnAnotherCatalogueIsReportedAtItsSearchStep() {
    ExpertImport.Result r = importFile(ExpertFiles.Shape.ETO, "eto-sft.json", ExpertFiles.Options.webShop());
    assertThat(r.kept()).extracting(Trajectory::id).containsExactly("6", "9");
    assertThat(r.kept()).extracting(Trajectory::taskId).containsExactly("webshop_6", "webshop_9");
    assertThat(r.kept()).allMatch(Trajectory::success);
    // ETO's items end on the last action; the replay adds the environment's last page
    assertThat(r.kept().getFirst().turns().getLast()).isInstanceOf(Turn.Observation.class);
    assertThat(r.kept().getFirst().turns().getLast().text()).contains("Thank you for shopping with us!");
    assertThat(r.rejected()).singleElement().satisfies(d -> {
      assertThat(d.id()).isEqualTo("25");
      assertThat(d.taskId()).isEqualTo("webshop_25");
      assertThat(d.step()).isEqualTo(1);
      assertThat(d.recorded()).contains("(2-pack)");
      assertThat(d.replayed()).doesNotContain("(2-pack)");
      assertThat(d.describe()).startsWith("25 (task webshop_25): differs at step 1:");
    });
    assertThat(r.summary()).endsWith("3 trajectories, 2 replay (2 successes, 0 failures), 1 do not replay and are left out");
  }

  @Test
  void agentGymItemsReplayInTheirDialectAndComeOutInTheRunsWithTheEnvironmentsReward() {
    ExpertImport.Result r = importFile(ExpertFiles.Shape.AGENTGYM, "agentgym-traj.json", ExpertFiles.Options.webShop());
    assertThat(r.kept()).extracting(Trajectory::taskId).containsExactly("webshop_6", "webshop_9");
    // AgentTraj records no reward: the replay's is kept
    assertThat(r.kept()).allSatisfy(t -> assertThat(t.reward()).isEqualTo(1.0));
    Trajectory t = r.kept().getFirst();
    assertThat(t.action(0).text()).matches("(?s)Thought: [^\\n]+\\nAction: search\\[[^\\n]+\\]");
    assertThat(t.turns().get(2).text()).startsWith("Observation:\nInstruction: [SEP] ");
    assertThat(t.action(0).producer()).isEqualTo(Producer.EXPERT);
    // the id names the goal after the one played: its first observation is another instruction
    assertThat(r.rejected()).singleElement().satisfies(d -> {
      assertThat(d.id()).isEqualTo("webshop_26");
      assertThat(d.step()).isZero();
      assertThat(d.recorded()).startsWith("WebShop [SEP] Instruction: [SEP] ");
      assertThat(d.replayed()).startsWith("WebShop [SEP] Instruction: [SEP] ").isNotEqualTo(d.recorded());
    });
  }

  @Test
  void theEefReleaseNeedsTheModelNamedAndKeepsFailuresForExploration() {
    assertThatThrownBy(() -> importFile(ExpertFiles.Shape.EEF, "eef-release.json", ExpertFiles.Options.webShop()))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("eef-release.json")
        .hasMessageContaining("gpt-4-0613, gpt-3.5-turbo-0613")
        .hasMessageContaining("llm_name");

    ExpertImport.Result gpt4 =
        importFile(ExpertFiles.Shape.EEF, "eef-release.json", ExpertFiles.Options.webShop().withLlmName("gpt-4-0613"));
    assertThat(gpt4.kept()).extracting(Trajectory::taskId).containsExactly("webshop_6", "webshop_8");
    assertThat(gpt4.kept()).extracting(Trajectory::success).containsExactly(true, false);
    assertThat(gpt4.kept().get(1).reward()).isGreaterThan(0).isLessThan(1);
    // the prompt (instruction, "OK" and a one-shot example) is found and left out of the episode
    assertThat(gpt4.kept().getFirst().firstObservation()).startsWith("WebShop [SEP] Instruction: [SEP] ");
    // recorded as a success, the replay buys a product that scores less: the last step differs
    ReplayCheck.Differs d = gpt4.rejected().getFirst();
    assertThat(gpt4.rejected()).hasSize(1);
    assertThat(d.id()).isEqualTo("webshop_36");
    assertThat(d.recorded()).isEqualTo("success, reward 1.0");
    assertThat(d.replayed()).startsWith("failure, reward 0.9");
    Trajectory sameTask = importFile(ExpertFiles.Shape.EEF, "eef-release.json",
        ExpertFiles.Options.webShop().withLlmName("gpt-3.5-turbo-0613")).kept().getFirst();
    assertThat(d.step()).isEqualTo(sameTask.actionCount());
    assertThat(sameTask.success()).isFalse();
  }

  @Test
  void aKeptFailureRestartsFromItsMiddleInTheRunsPrompt() {
    Trajectory failure = importFile(ExpertFiles.Shape.EEF, "eef-release.json",
        ExpertFiles.Options.webShop().withLlmName("gpt-4-0613")).kept().get(1);
    int k = failure.actionCount() / 2;
    // EEF's replay is strict: every replayed observation must equal the recorded one
    RolloutRunner runner = new RolloutRunner(new WebShopEnvironments(Shops.webshop1k()),
        (requests, sampling) -> requests.stream()
            .map(q -> (org.eef4j.core.agent.Reply) new org.eef4j.core.agent.Reply.Text("Action: click[Buy Now]"))
            .toList(),
        RUN, RolloutOptions.defaults().withMaxSteps(20));
    Trajectory fromMiddle = runner.run(List.of(EpisodeSpec.fromExpertPrefix("s_k", failure, k, 0)))
        .trajectories().getFirst();
    assertThat(fromMiddle.turns().subList(0, 2 * k + 1)).isEqualTo(failure.turns().subList(0, 2 * k + 1));
  }

  @Test
  void theReportNamesEveryTrajectoryLeftOut(@TempDir Path dir) throws Exception {
    ExpertImport.Result r = importFile(ExpertFiles.Shape.ETO, "eto-sft.json", ExpertFiles.Options.webShop());
    ExpertImport.write(r, dir.resolve("eto.trajectories.jsonl"), dir.resolve("eto.import.json"));
    assertThat(TrajectoryFormat.read(dir.resolve("eto.trajectories.jsonl"))).isEqualTo(r.kept());
    JsonNode report = new ObjectMapper().readTree(dir.resolve("eto.import.json").toFile());
    assertThat(report.get("format").asText()).isEqualTo("eef4j-expert-import");
    assertThat(report.get("trajectories").asInt()).isEqualTo(3);
    assertThat(report.get("replayed").asInt()).isEqualTo(2);
    assertThat(report.get("rejected").get(0).get("id").asText()).isEqualTo("25");
    assertThat(report.get("rejected").get(0).get("step").asInt()).isEqualTo(1);
  }
}
