package org.eef4j.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.EpisodeSpec;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.ReplayCheck;
import org.eef4j.core.format.ExpertFiles;
import org.eef4j.core.pipeline.ExpertImport;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.TaskSuite;
import org.eef4j.core.progress.Progress;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.trajectory.Trajectory;

/**
 * An {@code experts: [{kind: import}]} entry: trajectories from a file people already have, replayed in the run's
 * WebShop before use ({@link ExpertImport}). Keys:
 *
 * <pre>
 * - name: eef-gpt4
 *   kind: import
 *   format: eef            # eef (the EEF authors' release), eto (ETO's SFT conversations), agentgym (AgentTraj)
 *   path: webshop_gpt4.json   # relative to the config
 *   llm_name: gpt-4-0613   # eef only: which model's runs, where the file holds several
 *   prompt_messages: 2     # optional: messages before the episode; default: found (see ExpertFiles.Options)
 * </pre>
 *
 * The trajectories that replay are written to {@code inputs/experts/NAME.trajectories.jsonl} in the run's dialect, the
 * report (counts, and every trajectory left out with its first differing step) to {@code inputs/experts/NAME.import.json};
 * a summary and each trajectory left out are printed. A task the file has no (replaying) trajectory for counts as
 * unsolved by this expert. Two entries on one file with different {@code llm_name} make the paper's "several experts".
 * The import runs in the pipeline's expert stage, so a resumed run whose stage is done imports nothing again.
 */
record ImportedExpertSetup(ExpertFiles.Shape format, Path file, String llmName, int promptMessages) {

  ImportedExpertSetup {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(file, "file");
  }

  static ImportedExpertSetup parse(ConfigNode n, Path base) {
    n.onlyKeys("name", "kind", "format", "path", "llm_name", "prompt_messages");
    ExpertFiles.Shape format;
    try {
      format = ExpertFiles.Shape.parse(n.get("format").text());
    } catch (IllegalArgumentException e) {
      throw n.get("format").error(e.getMessage());
    }
    Path p = base.resolve(n.get("path").text());
    if (!Files.isRegularFile(p)) {
      throw n.get("path").error("no such file: " + p);
    }
    String llm = n.has("llm_name") ? n.get("llm_name").text() : null;
    if (llm != null && format != ExpertFiles.Shape.EEF) {
      throw n.get("llm_name").error("only an eef file names its models");
    }
    int prompt = n.integer("prompt_messages", -1);
    if (n.has("prompt_messages") && prompt < 0) {
      throw n.get("prompt_messages").error("must be >= 0");
    }
    return new ImportedExpertSetup(format, p, llm, prompt);
  }

  /** {@link #source(String, EnvironmentFactory, ReactPrompt, TaskSuite, Path, Consumer, ExpertFiles.Options)} for WebShop. */
  ExpertSource source(String name, EnvironmentFactory environments, ReactPrompt runPrompt, TaskSuite tasks,
      Path runDir, Consumer<String> notes) {
    return source(name, environments, runPrompt, tasks, runDir, notes, ExpertFiles.Options.webShop());
  }

  /**
   * The imported expert as the pipeline plays it in its expert stage ({@code experts/NAME/}), resumable like every
   * stage: a run that finished the stage does not import again. The import itself (reading the file as the
   * environment's files read, {@code files}: how ids become task ids, how ETO laid out its conversations there) happens
   * on the first play, in the stage or where the setup plays the expert first (the engine student learns its tokenizer
   * from the primary expert); it writes what it kept and its report under {@code runDir/inputs/experts} and notes
   * both. The stage then reads the kept file as a recorded expert does, so its trajectories are the file's bytes.
   */
  ExpertSource source(String name, EnvironmentFactory environments, ReactPrompt runPrompt, TaskSuite tasks,
      Path runDir, Consumer<String> notes, ExpertFiles.Options files) {
    Path dir = runDir.resolve("inputs").resolve("experts");
    Path kept = dir.resolve(name + ".trajectories.jsonl");
    Path report = dir.resolve(name + ".import.json");
    boolean[] imported = {false};
    return new ExpertSource.Acting(name, (specs, progress) -> {
      long start = System.nanoTime();
      if (!imported[0]) {
        importInto(name, environments, runPrompt, tasks, notes, files, kept, report);
        imported[0] = true;
      }
      RolloutResult r = new ExpertSource.Recorded(name, kept).play(specs.stream().map(EpisodeSpec::taskId).toList(),
          policy -> {
            throw new IllegalStateException("an imported expert does not act");
          }, ProgressListener.NONE);
      progress.onProgress(new Progress("expert " + name, specs.size(), specs.size(),
          (System.nanoTime() - start) / 1_000_000));
      return r;
    });
  }

  /** Replays the file in the environment, writes what replays to {@code kept} and the report, and notes both. */
  private void importInto(String name, EnvironmentFactory environments, ReactPrompt runPrompt, TaskSuite tasks,
      Consumer<String> notes, ExpertFiles.Options files, Path kept, Path report) {
    ExpertFiles.Options options = files.withLlmName(llmName).withPromptMessages(promptMessages);
    ExpertImport.Result r = ExpertImport.run(format, file, options, environments, runPrompt);
    try {
      Files.createDirectories(kept.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + kept.getParent(), e);
    }
    ExpertImport.write(r, kept, report);
    Set<String> train = new HashSet<>(tasks.train());
    Set<String> test = new HashSet<>(tasks.test());
    long onTrain = r.kept().stream().map(Trajectory::taskId).distinct().filter(train::contains).count();
    long onTest = r.kept().stream().map(Trajectory::taskId).distinct().filter(test::contains).count();
    notes.accept("expert " + name + ": " + r.summary() + "; they cover " + onTrain + " of the run's " + train.size()
        + " training tasks and " + onTest + " of its " + test.size() + " test tasks"
        + (r.rejected().isEmpty() ? "" : "; report: " + report));
    for (ReplayCheck.Differs d : r.rejected()) {
      notes.accept("  left out " + d.describe());
    }
    if (r.kept().isEmpty()) {
      throw new IllegalArgumentException("expert " + name + ": no trajectory of " + file + " replays in this environment ("
          + report + " says where each differs)");
    }
  }
}
