package org.eef4j.cli.webshop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j webshop play}: a person shops in the terminal. Each page is printed with its clickables; each line read
 * from standard input is one action ({@code search[...]} or {@code click[...]}), exactly as an agent would send it.
 */
@Command(name = "play", mixinStandardHelpOptions = true,
    description = "Shop in the terminal: type search[...] or click[...] actions, one a line, until you buy.")
public final class PlayCommand implements Callable<Integer> {

  @Mixin ShopOptions shop;

  @Option(names = "--goal", required = true, paramLabel = "N", description = "The goal index (AgentGym's webshop_N).")
  int goal;

  @Option(names = "--max-steps", defaultValue = "10", paramLabel = "K",
      description = "End the episode after K actions without a purchase; 0 = no limit (default: ${DEFAULT-VALUE}).")
  int maxSteps;

  @Option(names = "--show-attributes", description = "Give product pages the Attributes button (off in AgentGym).")
  boolean showAttributes;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (maxSteps < 0) {
      throw new UserInputException("--max-steps must be >= 0, got " + maxSteps);
    }
    try (WebShop webShop = shop.load()) {
      if (goal < 0 || goal >= webShop.goals().size()) {
        throw new UserInputException("--goal " + goal + " is outside 0.." + (webShop.goals().size() - 1));
      }
      WebShopEnv env = webShop.newSession(new WebShopEnv.Config(maxSteps, showAttributes));
      show(out, env, env.reset(goal));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isBlank()) {
          continue;
        }
        WebShopEnv.Step step = env.step(line.strip());
        if (step.done()) {
          out.println();
          out.println(step.observation());
          out.println();
          out.println(step.truncated()
              ? "Out of steps after " + env.steps() + " actions: reward 0.0"
              : "Reward: " + step.reward());
          out.flush();
          return ExitCodes.OK;
        }
        show(out, env, step.observation());
      }
      out.println("Input ended before a purchase.");
      return ExitCodes.FAILED;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input", e);
    }
  }

  private static void show(PrintWriter out, WebShopEnv env, String observation) {
    out.println();
    out.println(observation);
    // "search" is the search button's text: listed among the original's clickables but never clickable.
    List<String> clickables = env.availableActions().clickables().stream().filter(c -> !c.equals("search")).toList();
    out.println("[step " + env.steps() + (env.config().maxSteps() > 0 ? "/" + env.config().maxSteps() : "") + "] "
        + "search[...]" + (clickables.isEmpty() ? "" : " or click[...] on one of: " + clickables));
    out.print("> ");
    out.flush();
  }
}
