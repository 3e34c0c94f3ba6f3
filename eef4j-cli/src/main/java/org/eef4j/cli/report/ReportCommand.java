package org.eef4j.cli.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.core.pipeline.RunDirectory;
import org.eef4j.core.pipeline.RunMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eef4j report RUN_DIR}: report.html, report.md and metrics.json of a run, finished or not. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write a run directory's report.html (tables, plots, trajectory viewer),",
      "report.md, metrics.json and compute.json; an unfinished run is reported",
      "as far as it got."
    })
public final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a directory written by eef4j run or eef4j demo")
  Path runDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(runDir.resolve("run.json"))) {
      throw new UserInputException(runDir + " is not a run directory (it has no run.json)");
    }
    RunMetrics metrics;
    // the report is written into the run directory: only while no run holds it, as every writer there
    try (RunDirectory held = RunDirectory.hold(runDir)) {
      metrics = ReportWriter.write(runDir);
    } catch (RunDirectory.RefusedException e) {
      throw new UserInputException(runDir.toAbsolutePath().normalize() + " is in use by a running eef4j run; its"
          + " report is written when it ends (or report it then)", e);
    }
    var out = spec.commandLine().getOut();
    out.print(ReportWriter.table(metrics));
    out.println();
    out.print(ReportWriter.shape(metrics));
    out.println();
    out.println("report: " + runDir.toAbsolutePath().normalize().resolve("report.html"));
    out.flush();
    return ExitCodes.OK;
  }
}
