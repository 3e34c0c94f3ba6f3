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
 * {@code eef4j demo}: the whole comparison on an embedded config (demo.yaml beside this class), printing the table and,
 * last, "run: DIR".
 *
 * <p>The default demo runs the toy shop with its scripted expert and the counting student, because it shows the
 * paper's shape in about a minute. {@code --webshop} runs demo-webshop.yaml: the synthetic WebShop catalogue, the
 * scripted WebShop expert and an engine student trained from scratch, through the same pipeline. TODO: at the sizes
 * that fit minutes on two cores a from-scratch student does not yet learn the ReAct format (0% on the test tasks);
 * making the WebShop demo the default needs a student recipe (size, epochs, learning rate, or a small pretrained
 * checkpoint) that learns within the 15-minute budget.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole comparison on the embedded default config and print it.",
      "Expert, SFT, RFT, RFT×k, ETO, EEF and its ablations, side by side.",
      "--print-config shows (to copy and edit) the config it runs."
    })
public final class DemoCommand implements Callable<Integer> {

  static final String RESOURCE = "demo.yaml";
  static final String WEBSHOP_RESOURCE = "demo-webshop.yaml";

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "the run directory (default: ${DEFAULT-VALUE}); an existing demo run there is resumed",
      defaultValue = "runs/demo")
  Path out;

  @Option(names = "--print-config", description = "print the embedded config and exit")
  boolean printConfig;

  @Option(
      names = "--webshop",
      description = "run the WebShop demo instead: synthetic catalogue, scripted expert, engine student from scratch")
  boolean webshop;

  @Spec CommandSpec spec;

  static String embeddedConfig() {
    return embedded(RESOURCE);
  }

  static String embedded(String resource) {
    try (InputStream in = DemoCommand.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the embedded " + resource + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Integer call() {
    String resource = webshop ? WEBSHOP_RESOURCE : RESOURCE;
    String text = embedded(resource);
    if (printConfig) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return 0;
    }
    RunConfig cfg = RunConfig.parse(text, resource + " (embedded)", Path.of("").toAbsolutePath());
    Path dir = webshop && out.equals(Path.of("runs/demo")) ? Path.of("runs/demo-webshop") : out;
    return Runs.execute(cfg, dir, spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
