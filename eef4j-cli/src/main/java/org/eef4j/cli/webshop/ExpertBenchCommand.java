package org.eef4j.cli.webshop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.eef4j.webshop.expert.ExpertBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code eef4j bench expert}: the scripted expert's success rate. The options are {@link ExpertBench}'s own (it also
 * runs without the CLI), passed through unchanged.
 */
@Command(
    name = "expert",
    mixinStandardHelpOptions = true,
    description = {
      "The scripted expert's success rate, mean reward and failure modes, by category, difficulty and target page.",
      "Options: [--data DIR] (default: the built-in synthetic catalogue) [--split train|test|all|FILE]",
      "  [--profile gpt4|gpt35|oracle|gpt4:mode=p,...] [--seed 0] [--max-steps 10] [--limit N]",
      "  [--goals synthetic|human] [--out expert.jsonl]"
    })
public final class ExpertBenchCommand implements Callable<Integer> {

  @Unmatched List<String> args = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return ExpertBench.run(
        spec.commandLine().getOut(), spec.commandLine().getErr(), args.toArray(String[]::new));
  }
}
