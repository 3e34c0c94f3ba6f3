package org.eef4j.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eef4j.core.agent.ActionKinds;
import org.eef4j.core.eval.MeanStd;
import org.eef4j.core.format.AtomicFiles;
import org.eef4j.core.pipeline.PaperShape;
import org.eef4j.core.pipeline.RunMetrics;
import org.eef4j.core.pipeline.RunMetrics.IterationMetrics;
import org.eef4j.core.pipeline.RunMetrics.MethodMetrics;
import org.eef4j.toyshop.ToyShop;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.webshop.view.WebShopActionKinds;

/**
 * Writes a run's report from its directory alone: report.md (tables) and report.html (the same tables, inline SVG
 * plots, and a trajectory viewer), refreshing metrics.json and compute.json first. Self-contained: no scripts, no
 * fonts or styles from the network.
 */
public final class ReportWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportWriter() {}

  /** Writes metrics.json, compute.json, report.md and report.html into the run directory; returns the metrics. */
  public static RunMetrics write(Path runDir) {
    RunMetrics metrics = RunMetrics.compute(runDir);
    metrics.write(runDir);
    JsonNode compute = readJson(runDir.resolve("compute.json"));
    JsonNode run = readJson(runDir.resolve("run.json"));
    String md = markdown(metrics, compute, run);
    AtomicFiles.write(runDir.resolve("report.md"), out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
    String html = html(metrics, compute, run, runDir);
    AtomicFiles.write(runDir.resolve("report.html"), out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    return metrics;
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  // ---- the comparison table (terminal and Markdown) ----

  /**
   * One row per method: final and best win rate, mean score, on the named test set, and for a student's row its lift
   * over the aids-only control (empty where the run has none, or for a row that is not a student's).
   */
  record Row(String method, String finalWin, String finalScore, String bestWin, String bestIteration, String lift) {}

  static final String LIFT_HEADER = "lift over aids only (points)";

  static List<Row> rows(RunMetrics m) {
    Optional<MethodMetrics> control = control(m);
    List<Row> rows = new ArrayList<>();
    for (MethodMetrics mm : m.methods()) {
      IterationMetrics last = mm.last();
      IterationMetrics best = mm.best();
      boolean student = !mm.kind().equals("expert") && !mm.kind().equals(CONTROL_KIND);
      rows.add(
          new Row(
              mm.label() + seedsCovered(last, m.seeds().size()),
              percent(last.winRate()),
              score(last.meanScore()),
              percent(best.winRate()),
              student && !mm.kind().equals("sft") ? Integer.toString(mm.bestIteration()) : "-",
              control.isPresent() && student ? signedPoints(lift(last, control.get().last())) : ""));
    }
    return rows;
  }

  /** The kind metrics.json gives the aids-only control. */
  static final String CONTROL_KIND = "aidsonly";

  static Optional<MethodMetrics> control(RunMetrics m) {
    return m.methods().stream().filter(mm -> mm.kind().equals(CONTROL_KIND)).findFirst();
  }

  /**
   * A student's win rate minus the control's, seed by seed (the control's one result stands for every seed), as mean
   * ± std over the student's seeds: what the student won that the aids alone do not.
   */
  static MeanStd lift(IterationMetrics student, IterationMetrics control) {
    double[] perSeed = student.perSeed().entrySet().stream()
        .filter(e -> control.perSeed().containsKey(e.getKey()))
        .mapToDouble(e -> e.getValue().evaluation().overall().winRate()
            - control.perSeed().get(e.getKey()).evaluation().overall().winRate())
        .toArray();
    return perSeed.length == 0
        ? new MeanStd(student.winRate().mean() - control.winRate().mean(), student.winRate().std(), 0)
        : MeanStd.of(perSeed);
  }

  static String signedPoints(MeanStd share) {
    return String.format(Locale.ROOT, "%+.1f ± %.1f", 100 * share.mean(), 100 * share.std());
  }

  /** The control's rule as the run recorded it, for the report to state; empty where the run has no control. */
  static Optional<String> controlRule(JsonNode run) {
    for (JsonNode method : run.path("methods")) {
      if (method.path("kind").asText().equals(CONTROL_KIND)) return Optional.of(method.path("rule").asText());
    }
    return Optional.empty();
  }

  /**
   * Marks a figure of an unfinished run that covers only some of the configured seeds ("2 of 3 seeds"), so that a mean
   * over the seeds that finished is not read as a mean over all of them.
   */
  static String seedsCovered(IterationMetrics it, int configured) {
    int finished = it.perSeed().size();
    return finished < configured ? " (" + finished + " of " + configured + " seeds)" : "";
  }

  /** The seeds line of a report's header, saying when some figures cover fewer seeds than configured. */
  static String seedsLine(RunMetrics m) {
    boolean partial = m.methods().stream()
        .anyMatch(mm -> mm.iterations().stream().anyMatch(it -> it.perSeed().size() < m.seeds().size()));
    String note = " (unfinished run: a figure marked \"k of n seeds\" is over the seeds that finished)";
    return m.seeds() + (partial ? note : "");
  }

  /** The comparison as a plain-text table, for the terminal. */
  public static String table(RunMetrics m) {
    List<String[]> cells = new ArrayList<>();
    boolean lift = control(m).isPresent();
    cells.add(lift
        ? new String[] {"method", "win rate % (final)", "mean score (final)", "win rate % (best)", "best iter", LIFT_HEADER}
        : new String[] {"method", "win rate % (final)", "mean score (final)", "win rate % (best)", "best iter"});
    for (Row r : rows(m)) {
      cells.add(lift
          ? new String[] {r.method(), r.finalWin(), r.finalScore(), r.bestWin(), r.bestIteration(), r.lift()}
          : new String[] {r.method(), r.finalWin(), r.finalScore(), r.bestWin(), r.bestIteration()});
    }
    int[] widths = new int[cells.getFirst().length];
    for (String[] row : cells) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    b.append("test set: ").append(m.testSet()).append(" · seeds: ").append(seedsLine(m)).append(" · mean ± std\n");
    for (int r = 0; r < cells.size(); r++) {
      String[] row = cells.get(r);
      for (int i = 0; i < row.length; i++) {
        b.append(i == 0 ? String.format("%-" + widths[i] + "s", row[i]) : "  " + pad(row[i], widths[i]));
      }
      b.append('\n');
      if (r == 0) {
        int total = 0;
        for (int wd : widths) {
          total += wd + 2;
        }
        b.append("-".repeat(total - 2)).append('\n');
      }
    }
    return b.toString();
  }

  /** The control's paragraph for the terminal, under the table; empty where the run has no control. */
  public static String controlNote(Path runDir) {
    return controlRule(readJson(runDir.resolve("run.json"))).map(r -> controlParagraph(r) + "\n").orElse("");
  }

  /**
   * The environment's own headline metric where its records name one ({@code run_config.environment.paper_metric}:
   * SciWorld's "mean score ×100", the paper's SciWorld figure), a line beside the comparison's win rates: each
   * method's final mean score ×100, mean ± std over seeds. Empty for an environment that names none.
   */
  static Optional<String> paperMetric(RunMetrics m, JsonNode run) {
    String metric = run.path("run_config").path("environment").path("paper_metric").asText("");
    if (!metric.equals(MEAN_SCORE_X100)) return Optional.empty();
    List<String> parts = new ArrayList<>();
    for (MethodMetrics mm : m.methods()) {
      MeanStd s = mm.last().meanScore();
      parts.add(mm.label() + " " + (s.std() == 0 ? String.format(Locale.ROOT, "%.1f", 100 * s.mean())
          : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * s.mean(), 100 * s.std())));
    }
    return Optional.of("the paper's metric here, mean score ×100 (final): " + String.join(" · ", parts));
  }

  /** The value of {@code paper_metric} that asks for the mean score ×100. */
  static final String MEAN_SCORE_X100 = "mean score ×100";

  /** {@link #paperMetric} for the terminal, under the table; empty where the environment names no metric. */
  public static String paperMetricNote(Path runDir, RunMetrics m) {
    return paperMetric(m, readJson(runDir.resolve("run.json"))).map(l -> l + "\n").orElse("");
  }

  /** What the aids-only row is, in words, under the comparison. */
  static String controlParagraph(String rule) {
    return "aids only: the no-learning control. The student's decoding aids with no model: the same pages, action"
        + " space and step limit, and a fixed rule where the student chooses (" + rule + ") A student's lift over"
        + " it is what the student learned; what it wins, the aids win alone.";
  }

  /**
   * The line a run prints first when its student learned nothing the aids-only control does not win: every student
   * figure below it is then the aids' result, and the paper's effect needs a model that learns (a real LLM through the
   * remote path). Empty when the student beats the control or the run has no control.
   */
  public static Optional<String> headline(PaperShape shape) {
    return shape.claims().stream()
        .filter(c -> c.claim().equals(PaperShape.STUDENT_LEARNED) && c.verdict() == PaperShape.Verdict.FAILS)
        .findFirst()
        .map(c -> "the student learned nothing its aids do not win alone (" + c.figures() + "); every student row"
            + " below is the aids' result: for the paper's effect use a real model (README, \"Real models\")");
  }

  /** Which of the paper's claims the run bears out, a line each, for the terminal. */
  public static String shape(RunMetrics m) {
    StringBuilder b = new StringBuilder("the paper's shape on this run:\n");
    for (PaperShape.Claim c : m.shape().claims()) {
      b.append(String.format(Locale.ROOT, "  %-13s %s: %s\n", verdict(c.verdict()), c.claim(), c.figures()));
    }
    return b.toString();
  }

  static String verdict(PaperShape.Verdict v) {
    return switch (v) {
      case HOLDS -> "holds";
      case FAILS -> "does not hold";
      case NOT_MEASURED -> "not measured";
    };
  }

  static final String SHAPE_HEADING = "## The paper's shape";

  /** The claims as a Markdown section. */
  static String shapeMarkdown(RunMetrics m) {
    StringBuilder b = new StringBuilder(SHAPE_HEADING).append("\n\n");
    b.append("The paper's claims about its comparison, each checked on this run's final iterations as the EEF spec"
        + " defines them (means over seeds; a lead of no more than one test task, or inside the seeds' spread, is"
        + " level; a task is solved by a success from its initial state).\n\n");
    b.append("| claim | on this run | figures |\n| --- | --- | --- |\n");
    for (PaperShape.Claim c : m.shape().claims()) {
      b.append("| ").append(c.claim()).append(" | ").append(c.verdict() == PaperShape.Verdict.HOLDS ? "**holds**"
          : verdict(c.verdict())).append(" | ").append(c.figures().replace("|", "/")).append(" |\n");
    }
    return b.toString();
  }

  private static String pad(String s, int w) {
    return " ".repeat(Math.max(0, w - s.length())) + s;
  }

  static String percent(MeanStd s) {
    return String.format(Locale.ROOT, "%.1f ± %.1f", 100 * s.mean(), 100 * s.std());
  }

  static String score(MeanStd s) {
    return String.format(Locale.ROOT, "%.3f ± %.3f", s.mean(), s.std());
  }

  private static String stat(MeanStd s) {
    return s.std() == 0 ? Charts.number(s.mean()) : String.format(Locale.ROOT, "%.1f ± %.1f", s.mean(), s.std());
  }

  // ---- report.md ----

  static String markdown(RunMetrics m, JsonNode compute, JsonNode run) {
    StringBuilder b = new StringBuilder();
    b.append("# eef4j run report\n\n");
    b.append("- test set: **").append(m.testSet()).append("**\n");
    b.append("- student: ").append(m.student()).append('\n');
    b.append("- experts: ").append(join(run.path("experts"))).append('\n');
    b.append("- seeds: ").append(seedsLine(m)).append(" (figures are mean ± std over seeds)\n");
    b.append("- iterations: ").append(run.path("config").path("eef").path("iterations").asInt())
        .append(", M = ").append(run.path("config").path("eef").path("m").asInt()).append("\n\n");
    b.append("## Comparison\n\n");
    boolean lift = control(m).isPresent();
    b.append("| method | win rate % (final) | mean score (final) | win rate % (best) | best iteration |")
        .append(lift ? " " + LIFT_HEADER + " |\n" : "\n");
    b.append("| --- | ---: | ---: | ---: | ---: |").append(lift ? " ---: |\n" : "\n");
    for (Row r : rows(m)) {
      b.append("| ").append(r.method()).append(" | ").append(r.finalWin()).append(" | ").append(r.finalScore())
          .append(" | ").append(r.bestWin()).append(" | ").append(r.bestIteration())
          .append(lift ? " | " + r.lift() : "").append(" |\n");
    }
    paperMetric(m, run).ifPresent(line -> b.append('\n').append(line).append('\n'));
    controlRule(run).ifPresent(rule -> b.append('\n').append(controlParagraph(rule)).append('\n'));
    b.append('\n').append(shapeMarkdown(m));
    b.append("\n## Every iteration\n\nIteration 0 is behaviour cloning (SFT), which every iterating method starts from.\n\n");
    b.append("Solved means a success from the task's initial state; \"reached from expert states\" counts the tasks an"
        + " iteration succeeded on only from inside an expert's trajectory, which are not solved.\n\n");
    b.append("| method | iteration | win rate % | mean score | newly solved | never solved | reached from expert states |"
        + " succ. initial | succ. intermediate | D_s0 | D_r | examples | trained actions | masked actions |\n");
    b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (MethodMetrics mm : m.methods()) {
      for (IterationMetrics it : mm.iterations()) {
        var e = it.exploration();
        b.append("| ").append(mm.label()).append(seedsCovered(it, m.seeds().size())).append(" | ")
            .append(it.iteration()).append(" | ")
            .append(percent(it.winRate())).append(" | ").append(score(it.meanScore())).append(" | ");
        if (e == null) {
          b.append("| | | | | | | | | |\n");
        } else {
          b.append(String.join(" | ", stat(e.newlySolved()), stat(e.neverSolved()), stat(e.reachedFromExpertStates()),
                  stat(e.successesFromInitial()),
                  stat(e.successesFromIntermediate()), stat(e.ds0()), stat(e.dr()), stat(e.examples()),
                  stat(e.trainedActions()), stat(e.maskedActions())))
              .append(" |\n");
        }
      }
    }
    TreeSet<String> categories = new TreeSet<>();
    m.methods().forEach(mm -> categories.addAll(mm.last().categoryWinRate().keySet()));
    b.append("\n## Win rate % per category (final iteration)\n\n| method |");
    categories.forEach(c -> b.append(' ').append(c).append(" |"));
    b.append("\n| --- |").append(" ---: |".repeat(categories.size())).append('\n');
    for (MethodMetrics mm : m.methods()) {
      b.append("| ").append(mm.label()).append(" |");
      for (String c : categories) {
        MeanStd s = mm.last().categoryWinRate().get(c);
        b.append(' ').append(s == null ? "" : percent(s)).append(" |");
      }
      b.append('\n');
    }
    b.append("\n## Skill usage on the test set (share of actions %, final iteration)\n\n| method |");
    List<String> skills = usedSkills(m);
    ActionKinds kinds = actionKinds(run);
    skills.forEach(s -> b.append(' ').append(kinds.label(s)).append(" |"));
    b.append("\n| --- |").append(" ---: |".repeat(skills.size())).append('\n');
    for (MethodMetrics mm : m.methods()) {
      b.append("| ").append(mm.label()).append(" |");
      for (String s : skills) {
        b.append(String.format(Locale.ROOT, " %.1f |", 100 * mm.last().skills().getOrDefault(s, 0.0)));
      }
      b.append('\n');
    }
    if (m.methods().stream().anyMatch(mm -> !mm.last().endings().isEmpty())) {
      // the first thing to check when a student scores near zero: episodes the environment never ended (WebShop: no
      // purchase; SciWorld: the task neither completed nor failed)
      b.append("\n## How the test episodes ended (share %, final iteration)\n\n| method | ended by the environment |"
          + " step limit |"
          + " context overflow |\n| --- | ---: | ---: | ---: |\n");
      for (MethodMetrics mm : m.methods()) {
        Map<Termination, Double> e = mm.last().endings();
        b.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |\n", mm.label(),
            100 * e.getOrDefault(Termination.DONE, 0.0), 100 * e.getOrDefault(Termination.MAX_STEPS, 0.0),
            100 * e.getOrDefault(Termination.POLICY_FAILED, 0.0)));
      }
    }
    b.append("\n## Compute\n\n| part | rollouts | env steps | generated tokens | trained tokens | rollout time |"
        + " training time |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    compute.path("by_method").properties().forEach(e -> b.append(computeRow(e.getKey(), e.getValue())));
    b.append(computeRow("**total**", compute.path("total")));
    b.append("\nCompute is counted per stage in compute.json; wall times differ between runs, every other file of the"
        + " run directory is a function of run.json.\n");
    return b.toString();
  }

  private static String computeRow(String name, JsonNode c) {
    return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s |\n", name, c.path("rollouts").asLong(),
        c.path("env_steps").asLong(), c.path("generated_tokens").asLong(), c.path("trained_tokens").asLong(),
        seconds(c.path("rollout_millis").asLong()), seconds(c.path("training_millis").asLong()));
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  /**
   * The kinds of action some method's final iteration used, in the order the environment names them (a kind no method
   * used first in its own results comes after those of the methods before it).
   */
  static List<String> usedSkills(RunMetrics m) {
    java.util.LinkedHashSet<String> named = new java.util.LinkedHashSet<>();
    m.methods().forEach(mm -> named.addAll(mm.last().skills().keySet()));
    List<String> out = new ArrayList<>();
    for (String s : named) {
      if (m.methods().stream().anyMatch(mm -> mm.last().skills().getOrDefault(s, 0.0) > 0)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * The labels of the run's action kinds, as the pipeline recorded them from its environment (run.json's {@code
   * action_kinds}); a kind without one gets its name as it is.
   */
  static ActionKinds actionKinds(JsonNode run) {
    JsonNode recorded = run.path("action_kinds");
    if (!recorded.isObject()) {
      return recordedBefore(run);
    }
    List<String> names = new ArrayList<>();
    recorded.fieldNames().forEachRemaining(names::add);
    return new ActionKinds() {
      @Override
      public List<String> names() {
        return names;
      }

      @Override
      public String of(Optional<String> action, String observation) {
        throw new IllegalStateException("a report reads counted kinds; it classifies no action");
      }

      @Override
      public String label(String name) {
        return recorded.hasNonNull(name) ? recorded.get(name).asText() : ActionKinds.super.label(name);
      }
    };
  }

  /**
   * A run recorded before run.json kept its kinds' labels: by its environment kind (the section's, "webshop"; before
   * the sections, its record's name), WebShop and the toy being the environments that labelled a kind their own way.
   */
  private static ActionKinds recordedBefore(JsonNode run) {
    return switch (run.path("run_config").path("environment").path("kind").asText()) {
      case "webshop", "WebShop" -> WebShopActionKinds.INSTANCE;
      case "toy", "Toy" -> ToyShop.factory().actionKinds();
      default -> ActionKinds.NONE;
    };
  }

  private static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return String.join(", ", out);
  }

  // ---- report.html ----

  static String html(RunMetrics m, JsonNode compute, JsonNode run, Path runDir) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>eef4j report: ")
        .append(Svg.escape(m.testSet())).append("</title>\n<style>")
        .append("body{font-family:sans-serif;margin:24px auto;max-width:1180px;color:#222;line-height:1.4}")
        .append("table{border-collapse:collapse;margin:8px 0 20px;font-size:13px}")
        .append("th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
        .append("td:first-child,th:first-child{text-align:left}.claims td,.claims th{text-align:left}")
        .append(".plots{display:flex;flex-wrap:wrap;gap:8px}.plots svg{border:1px solid #eee}")
        .append("details{border:1px solid #ddd;margin:6px 0;padding:4px 10px;border-radius:4px}")
        .append("summary{cursor:pointer;font-weight:bold}.turn{margin:3px 0;padding:3px 6px;font-size:12px;")
        .append("white-space:pre-wrap;font-family:monospace}.obs{color:#555;background:#fafafa}")
        .append(".kept{background:#e3f4e3;border-left:4px solid #2ca02c}")
        .append(".masked{background:#fbe3e3;border-left:4px solid #d62728;text-decoration:line-through}")
        .append(".agent{background:#e3ecfb;border-left:4px solid #1f77b4}.ctx{background:#f3f3f3;border-left:4px solid #999}")
        .append(".tag{font-size:11px;padding:0 4px;border-radius:3px;margin-right:6px;color:#fff}")
        .append(".b{background:#2ca02c}.h{background:#d62728}.n{background:#999}")
        .append("</style></head><body>\n");
    b.append("<h1>eef4j run report</h1>\n<p>Test set: <b>").append(Svg.escape(m.testSet()))
        .append("</b> · student: ").append(Svg.escape(m.student())).append(" · experts: ")
        .append(Svg.escape(join(run.path("experts")))).append(" · seeds: ").append(Svg.escape(seedsLine(m)))
        .append(" (mean ± std over seeds) · run directory: <code>").append(Svg.escape(runDir.toString()))
        .append("</code></p>\n");
    boolean lift = control(m).isPresent();
    b.append("<h2>Comparison</h2>\n<table><tr><th>method</th><th>win rate % (final)</th><th>mean score (final)</th>"
        + "<th>win rate % (best)</th><th>best iteration</th>").append(lift ? "<th>" + LIFT_HEADER + "</th>" : "")
        .append("</tr>\n");
    for (Row r : rows(m)) {
      b.append("<tr><td>").append(Svg.escape(r.method())).append("</td><td>").append(r.finalWin()).append("</td><td>")
          .append(r.finalScore()).append("</td><td>").append(r.bestWin()).append("</td><td>").append(r.bestIteration())
          .append(lift ? "</td><td>" + r.lift() : "").append("</td></tr>\n");
    }
    b.append("</table>\n");
    paperMetric(m, run).ifPresent(line -> b.append("<p>").append(Svg.escape(line)).append("</p>\n"));
    controlRule(run).ifPresent(rule -> b.append("<p>").append(Svg.escape(controlParagraph(rule))).append("</p>\n"));
    b.append(markdownTablesAsHtml(shapeMarkdown(m), Set.of()).replace("<table>", "<table class=\"claims\">"));
    b.append("<h2>Plots</h2>\n<div class=\"plots\">\n");
    b.append(ReportPlots.winRate(m)).append('\n');
    b.append(ReportPlots.meanScore(m)).append('\n');
    b.append(ReportPlots.newlySolved(m)).append('\n');
    b.append(ReportPlots.successSources(m)).append('\n');
    b.append(ReportPlots.skills(m, actionKinds(run))).append('\n');
    b.append("</div>\n");
    b.append(markdownTablesAsHtml(markdown(m, compute, run), Set.of("## Comparison", SHAPE_HEADING)));
    b.append(TrajectoryViewer.html(runDir, run));
    b.append("</body></html>\n");
    return b.toString();
  }

  /**
   * The Markdown report's sections after the comparison, as HTML: its tables are simple (pipes, no escapes), so this
   * small conversion keeps one source for both reports. Sections headed by one of {@code skipped} are left out.
   */
  static String markdownTablesAsHtml(String md, Set<String> skipped) {
    StringBuilder b = new StringBuilder();
    boolean started = false;
    boolean inTable = false;
    boolean header = false;
    for (String line : md.split("\n")) {
      if (line.startsWith("## ")) {
        started = !skipped.contains(line);
      }
      if (!started) {
        continue;
      }
      if (line.startsWith("|")) {
        if (!inTable) {
          b.append("<table>\n");
          inTable = true;
          header = true;
        }
        if (line.startsWith("| ---")) {
          continue;
        }
        String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
        b.append("<tr>");
        for (String c : cells) {
          String t = Svg.escape(c.strip()).replaceAll("\\*\\*(.+?)\\*\\*", "<b>$1</b>");
          b.append(header ? "<th>" : "<td>").append(t).append(header ? "</th>" : "</td>");
        }
        b.append("</tr>\n");
        header = false;
        continue;
      }
      if (inTable) {
        b.append("</table>\n");
        inTable = false;
      }
      if (line.startsWith("## ")) {
        b.append("<h2>").append(Svg.escape(line.substring(3))).append("</h2>\n");
      } else if (!line.isBlank()) {
        b.append("<p>").append(Svg.escape(line)).append("</p>\n");
      }
    }
    if (inTable) {
      b.append("</table>\n");
    }
    return b.toString();
  }
}
