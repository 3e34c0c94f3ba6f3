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
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.ReplayCheck;
import org.eef4j.core.format.ExpertFiles;
import org.eef4j.core.pipeline.ExpertImport;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.TaskSuite;
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

  /** Imports the file now, writes what it kept and its report under {@code runDir/inputs/experts}, and notes both. */
  ExpertSource source(String name, EnvironmentFactory environments, ReactPrompt runPrompt, TaskSuite tasks,
      Path runDir, Consumer<String> notes) {
    return source(name, environments, runPrompt, tasks, runDir, notes, ExpertFiles.Options.webShop());
  }

  /**
   * As above, reading the file as the environment's files read ({@code files}: how ids become task ids, how ETO laid
   * out its conversations there).
   */
  ExpertSource source(String name, EnvironmentFactory environments, ReactPrompt runPrompt, TaskSuite tasks,
      Path runDir, Consumer<String> notes, ExpertFiles.Options files) {
    ExpertFiles.Options options = files.withLlmName(llmName).withPromptMessages(promptMessages);
    ExpertImport.Result r = ExpertImport.run(format, file, options, environments, runPrompt);
    Path dir = runDir.resolve("inputs").resolve("experts");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    Path kept = dir.resolve(name + ".trajectories.jsonl");
    Path report = dir.resolve(name + ".import.json");
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
    return new ExpertSource.Recorded(name, kept);
  }
}
