package org.eef4j.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eef4j.cli.common.Build;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.cli.engine.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code eef4j} command line. {@link #run} is a function of its arguments and two writers, so tests call it directly
 * and read what it printed; {@link #main} only binds it to the console and exits with its code.
 */
@Command(
    name = "eef4j",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Tune LLM agents with EEF (Exploring Expert Failures) and its baselines, on the JVM.",
    subcommands = {
      CommandLine.HelpCommand.class,
      WebShopCommand.class,
      org.eef4j.sciworld.cli.SciWorldCommand.class,
      BenchCommand.class,
      org.eef4j.cli.run.RunCommand.class,
      org.eef4j.cli.run.DemoCommand.class,
      org.eef4j.cli.report.ReportCommand.class,
      GenerateCommand.class,
      org.eef4j.cli.engine.SftCommand.class,
      org.eef4j.cli.engine.ModelCommand.class,
      org.eef4j.cli.engine.TokenizerCommand.class,
      org.eef4j.cli.engine.ServeModelCommand.class,
    })
public final class Main {

  /** Exit codes every command uses ({@link ExitCodes}). */
  public static final int OK = ExitCodes.OK;
  /** A command ran and found a failure it reports (a failed check, a run that did not finish). */
  public static final int FAILED = ExitCodes.FAILED;
  /** The user's input was wrong: unknown option, missing file, malformed config. */
  public static final int USAGE = ExitCodes.USAGE;

  private Main() {}

  /** {@code eef4j --version}: the version and the commit it was built from. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {Build.describe()};
    }
  }

  /**
   * Lucene 9 tells every Java 23+ process that a newer Lucene would use the Vector API; we pin Lucene 9 on purpose
   * (README), so the notice is noise on every command's stderr.
   */
  private static void quietenLibraryNotices() {
    LUCENE_VECTORIZATION_LOG.setLevel(Level.SEVERE);
  }

  /** Held so the level set above is not lost when the logger is garbage-collected. */
  private static final Logger LUCENE_VECTORIZATION_LOG =
      Logger.getLogger("org.apache.lucene.internal.vectorization.VectorizationProvider");

  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof UserInputException) {
            commandLine.getErr().println("error: " + ex.getMessage());
            return USAGE;
          }
          // a malformed file or a failing disk: one line naming the file and the cause, not a stack trace
          java.util.Optional<String> malformed = ErrorLine.format(ex);
          java.util.Optional<String> io = ErrorLine.io(ex);
          if (malformed.isPresent() || io.isPresent()) {
            commandLine.getErr().println("error: " + malformed.orElseGet(io::get));
            return malformed.isPresent() ? USAGE : FAILED;
          }
          throw ex;
        });
    cli.setExitCodeExceptionMapper(ex -> ex instanceof CommandLine.ParameterException ? USAGE : FAILED);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    quietenLibraryNotices();
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(out, err, args));
  }
}
