package org.eef4j.cli.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.cli.report.ReportWriter;
import org.eef4j.core.pipeline.Pipeline;
import org.eef4j.core.pipeline.RunDirectory;
import org.eef4j.core.pipeline.RunMetrics;

/** Runs a config into a directory and presents the result: the comparison table, the report, and "run: DIR" last. */
final class Runs {

  private Runs() {}

  static int execute(RunConfig cfg, Path dir, PrintWriter out, PrintWriter err) {
    Path absolute = dir.toAbsolutePath().normalize();
    err.println("eef4j: " + cfg.source() + " -> " + absolute);
    err.flush();
    StageCpuTime cpu = new StageCpuTime(new TerminalProgress(err, TerminalProgress.consoleIsTerminal()));
    RunMetrics metrics;
    // the directory is owned (locked, run.json checked or written) before the setup writes its inputs into it
    try (RunDirectory owner = RunDirectory.own(absolute, RunIdentity.of(cfg))) {
      Pipeline pipeline;
      try {
        pipeline = new Pipeline(cfg.setup(absolute, note -> err.println(note)), cfg.pipeline(), absolute, cpu);
      } catch (IllegalArgumentException e) {
        throw new UserInputException(cfg.source() + ": " + e.getMessage(), e);
      }
      metrics = pipeline.run(owner);
      ReportWriter.write(absolute);
    } catch (RunDirectory.RefusedException e) {
      throw new UserInputException(e.getMessage(), e);
    } catch (org.eef4j.remote.trainer.CommandTrainedStudents.TrainerException e) {
      // a failed trainer command or an unusable output: the stage's exported files stay for a person to read
      throw new UserInputException(e.getMessage(), e);
    }
    err.println(cpu.summary());
    err.flush();
    ReportWriter.headline(metrics.shape()).ifPresent(out::println);
    out.println();
    out.print(ReportWriter.table(metrics));
    out.print(ReportWriter.paperMetricNote(absolute, metrics));
    out.print(ReportWriter.controlNote(absolute));
    out.println();
    out.print(ReportWriter.shape(metrics));
    out.println();
    out.println("report: " + absolute.resolve("report.html"));
    out.println("run: " + absolute);
    out.flush();
    return ExitCodes.OK;
  }
}
