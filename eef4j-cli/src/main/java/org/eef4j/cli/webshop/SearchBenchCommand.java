package org.eef4j.cli.webshop;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.webshop.env.Page;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.expert.TargetRanks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j bench search}: where the target lands when one searches with the instruction (what a student with
 * {@code queries: given} does) and with the scripted expert's query. It bounds what opening the first result is worth,
 * and how many targets only paging reaches.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Where each goal's target lands in the search results, for the instruction as query and for the "
        + "scripted expert's query.")
public final class SearchBenchCommand implements Callable<Integer> {

  @Mixin ShopOptions shop;

  @Option(names = "--limit", defaultValue = "2000", paramLabel = "N",
      description = "Goals to measure, the first N of the goal list (default: ${DEFAULT-VALUE}).")
  int limit;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (limit < 1) throw new UserInputException("--limit must be at least 1, got " + limit);
    PrintWriter out = spec.commandLine().getOut();
    try (WebShop webShop = shop.load()) {
      List<Integer> goals = IntStream.range(0, Math.min(limit, webShop.goals().size())).boxed().toList();
      int window = Page.Results.WINDOW;
      out.printf(Locale.ROOT, "%-12s %6s %8s %8s %8s %8s %10s %10s%n", "query", "goals", "first", "top 3", "page 1",
          "page 2", "pages 3-5", "not found");
      for (TargetRanks.Query query : TargetRanks.Query.values()) {
        TargetRanks r = TargetRanks.measure(webShop, goals, query);
        double n = r.goals();
        out.printf(Locale.ROOT, "%-12s %6d %7.1f%% %7.1f%% %7.1f%% %7.1f%% %9.1f%% %9.1f%%%n",
            query.name().toLowerCase(Locale.ROOT), r.goals(), 100 * r.within(1) / n, 100 * r.within(3) / n,
            100 * r.within(window) / n, 100 * (r.within(2 * window) - r.within(window)) / n,
            100 * (r.within(TargetRanks.DEPTH) - r.within(2 * window)) / n, 100 * r.beyond() / n);
        out.flush();
      }
    }
    return ExitCodes.OK;
  }
}
