package org.eef4j.cli.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eef4j.cli.Main;
import org.eef4j.cli.UserInputException;
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
    RunMetrics metrics = ReportWriter.write(runDir);
    var out = spec.commandLine().getOut();
    out.print(ReportWriter.table(metrics));
    out.println();
    out.print(ReportWriter.shape(metrics));
    out.println();
    out.println("report: " + runDir.toAbsolutePath().normalize().resolve("report.html"));
    out.flush();
    return Main.OK;
  }
}
