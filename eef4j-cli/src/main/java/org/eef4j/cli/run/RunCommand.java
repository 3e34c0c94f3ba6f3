package org.eef4j.cli.run;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eef4j run CONFIG}: the comparison a config file describes, into a run directory, resuming a killed run. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the comparison a config file (YAML or JSON) describes.",
      "Experts, behaviour cloning, then per method: exploration, data, training,",
      "evaluation. Run again on the same directory, a killed run continues from",
      "its last finished stage. Writes metrics.json, report.html and report.md."
    })
public final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONFIG", description = "the run config (.yaml, .yml or .json)")
  Path config;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "the run directory (default: runs/<config file name without extension>)")
  Path out;

  @Option(
      names = "--check",
      description = "validate the config against the live servers (reachable, model names, tokenizer and chat"
          + " template, adapter loading) and exit, before anything is spent")
  boolean check;

  @Option(
      names = "--plan",
      description = {"Print each training stage's token counts (rows, tokens, trained tokens, its mask audit)",
          "and what training them costs at 8B parameters, instead of running; see docs/trainers.md."})
  boolean plan;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    RunConfig cfg;
    try {
      cfg = RunConfig.read(config);
    } catch (ConfigNode.ConfigException e) {
      throw new UserInputException(e.getMessage(), e);
    }
    if (check) {
      var out = spec.commandLine().getOut();
      boolean ok = RunCheck.run(cfg, out);
      out.flush();
      return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }
    String name = config.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
    Path dir = out != null ? out : Path.of("runs", name);
    if (plan) return RunPlan.print(cfg, dir, spec.commandLine().getOut(), spec.commandLine().getErr());
    return Runs.execute(cfg, dir, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
