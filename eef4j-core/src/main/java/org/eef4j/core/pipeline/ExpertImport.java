package org.eef4j.core.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.DialectTranslation;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.ReplayCheck;
import org.eef4j.core.format.ExpertFiles;
import org.eef4j.core.format.FormatTag;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.trajectory.Trajectory;

/**
 * Brings an expert's trajectories from a file people already have into a run: reads the file ({@link ExpertFiles}),
 * replays every trajectory in the run's environment in the file's own dialect ({@link ReplayCheck}), rewrites the ones
 * that replay into the run's dialect, and keeps them. A trajectory that does not replay is reported with its id and
 * the first step that differs, and left out: EEF would otherwise restart from states this environment never reaches.
 */
public final class ExpertImport {

  /** The report's format. */
  public static final FormatTag REPORT = new FormatTag("eef4j-expert-import", 1, 1);

  private ExpertImport() {}

  /**
   * What an import kept and what it left out.
   *
   * @param kept the trajectories that replay, in the run's dialect, with the environment's rewards, in file order
   * @param rejected the ones that do not, each with its first differing step
   * @param rewardDiffers ids of kept failures whose recorded partial reward differs from this environment's (kept:
   *     the outcome agrees; the environment's reward is the one kept)
   */
  public record Result(
      String file, List<Trajectory> kept, List<ReplayCheck.Differs> rejected, List<String> rewardDiffers) {
    public Result {
      kept = List.copyOf(kept);
      rejected = List.copyOf(rejected);
      rewardDiffers = List.copyOf(rewardDiffers);
    }

    public long successes() {
      return kept.stream().filter(Trajectory::success).count();
    }

    /** One line for a person. */
    public String summary() {
      return file + ": " + (kept.size() + rejected.size()) + " trajectories, " + kept.size() + " replay ("
          + successes() + " successes, " + (kept.size() - successes()) + " failures), " + rejected.size()
          + " do not replay and are left out";
    }
  }

  /**
   * Reads, checks and converts a file's trajectories.
   *
   * @param runPrompt the run's prompt, whose dialect the kept trajectories are written in
   */
  public static Result run(ExpertFiles.Shape shape, Path file, ExpertFiles.Options options,
      EnvironmentFactory environments, ReactPrompt runPrompt) {
    ExpertFiles.Read read = ExpertFiles.read(shape, file, options);
    ReactPrompt filePrompt = new ReactPrompt("", List.of(), read.dialect());
    List<ReplayCheck.Verdict> verdicts =
        ReplayCheck.check(read.trajectories(), read.rewardsKnown(), environments, filePrompt, options.successReward());
    List<Trajectory> kept = new ArrayList<>();
    List<ReplayCheck.Differs> rejected = new ArrayList<>();
    List<String> rewardDiffers = new ArrayList<>();
    for (ReplayCheck.Verdict v : verdicts) {
      switch (v) {
        case ReplayCheck.Replays r -> {
          kept.add(DialectTranslation.translate(r.trajectory(), read.dialect(), runPrompt.dialect()));
          if (!Double.isNaN(r.recordedReward()) && Math.abs(r.recordedReward() - r.trajectory().reward()) > 1e-6) {
            rewardDiffers.add(r.id());
          }
        }
        case ReplayCheck.Differs d -> rejected.add(d);
      }
    }
    if (read.dialect() != runPrompt.dialect()) {
      // the translation must take the same steps: replay it in the run's dialect as well
      for (ReplayCheck.Verdict v : ReplayCheck.check(kept, true, environments, runPrompt, options.successReward())) {
        if (v instanceof ReplayCheck.Differs d) {
          throw new IllegalStateException("trajectory " + d.id() + " replays in the " + read.dialect()
              + " dialect but not once rewritten in " + runPrompt.dialect() + ": " + d.describe());
        }
      }
    }
    return new Result(file.toString(), kept, rejected, rewardDiffers);
  }

  /**
   * Writes the kept trajectories (eef4j-trajectories) and the report beside them, {@code NAME.import.json}: format tag,
   * {@code file}, counts ({@code trajectories}, {@code replayed}, {@code successes}, {@code failures},
   * {@code rejected_count}), {@code rejected}: a list of {@code {"id", "task_id", "step", "recorded", "replayed"}}, and
   * {@code reward_differs}: ids of kept failures whose recorded reward differs.
   */
  public static void write(Result r, Path trajectoriesFile, Path reportFile) {
    TrajectoryFormat.write(trajectoriesFile, r.kept());
    ObjectNode n = REPORT.toJson();
    n.put("file", r.file());
    n.put("trajectories", r.kept().size() + r.rejected().size());
    n.put("replayed", r.kept().size());
    n.put("successes", r.successes());
    n.put("failures", r.kept().size() - r.successes());
    n.put("rejected_count", r.rejected().size());
    ArrayNode rejected = n.putArray("rejected");
    for (ReplayCheck.Differs d : r.rejected()) {
      rejected.addObject().put("id", d.id()).put("task_id", d.taskId()).put("step", d.step())
          .put("recorded", d.recorded()).put("replayed", d.replayed());
    }
    ArrayNode differs = n.putArray("reward_differs");
    r.rewardDiffers().forEach(differs::add);
    RunStore.writeJson(reportFile, n);
  }
}
