package org.eef4j.cli.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j demo}: the whole comparison on the embedded default config (demo.yaml beside this class), printing the
 * table, which of the paper's claims the run bears out ({@link org.eef4j.core.pipeline.PaperShape}) and, last, "run:
 * DIR".
 *
 * <p>The embedded default is the real setting at laptop scale: the synthetic WebShop catalogue, the scripted GPT-4
 * stand-in as expert, and a small student trained from scratch by the engine (tokenizer, behaviour
 * cloning, then each method's iterations), sized to finish on 2 cores. What it shows, and what it does not yet, is
 * recorded in docs/student/; the toy shop with its counting student is examples/toy.yaml.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole comparison on the embedded default config and print it.",
      "Expert, the aids-only control, SFT, RFT, RFT×k and EEF, side by side.",
      "--print-config shows (to copy and edit) the config it runs."
    })
public final class DemoCommand implements Callable<Integer> {

  static final String RESOURCE = "demo.yaml";

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "the run directory (default: ${DEFAULT-VALUE}); an existing demo run there is resumed",
      defaultValue = "runs/demo")
  Path out;

  @Option(names = "--print-config", description = "print the embedded config and exit")
  boolean printConfig;

  @Spec CommandSpec spec;

  static String embeddedConfig() {
    try (InputStream in = DemoCommand.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the embedded " + RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Integer call() {
    String text = embeddedConfig();
    if (printConfig) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return 0;
    }
    RunConfig cfg = RunConfig.parse(text, "demo.yaml (embedded)", Path.of("").toAbsolutePath());
    return Runs.execute(cfg, out, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
