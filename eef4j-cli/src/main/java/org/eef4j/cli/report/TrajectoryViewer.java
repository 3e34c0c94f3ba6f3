package org.eef4j.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eef4j.core.format.TrajectoryFormat;
import org.eef4j.core.method.ActionLabel;
import org.eef4j.core.method.EefClassification;
import org.eef4j.core.method.EefMasking;
import org.eef4j.core.method.EefOptions;
import org.eef4j.core.method.EefOutcomes;
import org.eef4j.core.method.EefStateSelection;
import org.eef4j.core.method.EefVariant;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/**
 * The report's trajectory viewer: for tasks where EEF learned from an expert failure (first EEF row, first seed,
 * iteration 1), the expert's failed trajectory with each action's label, the states EEF restarted from and whether
 * the agent succeeded there, and the training example built from it: which expert actions were kept (mask 1), which
 * masked (mask 0), and the agent's successful continuation. Rebuilt from the run's files with core's own EEF rules,
 * so it shows exactly what training saw. One collapsible block per task; no scripts.
 */
final class TrajectoryViewer {

  static final int MAX_TASKS = 12;
  private static final int OBS_CHARS = 240;

  private TrajectoryViewer() {}

  static String html(Path runDir, JsonNode run) {
    StringBuilder b = new StringBuilder("<h2>Trajectory viewer</h2>\n");
    JsonNode method = null;
    for (JsonNode m : run.path("methods")) {
      if (m.path("kind").asText().equals("eef") && method == null) {
        method = m;
      }
    }
    if (method == null || run.path("config").path("seeds").isEmpty()) {
      return b.append("<p>No EEF method in this run.</p>\n").toString();
    }
    long seed = run.path("config").path("seeds").get(0).asLong();
    Path explore =
        runDir.resolve("seed-" + seed).resolve(method.path("id").asText()).resolve("iter-1")
            .resolve("explore.trajectories.jsonl");
    if (!Files.exists(explore)) {
      return b.append("<p>EEF's first exploration has not finished yet.</p>\n").toString();
    }
    EefOptions options;
    try {
      options = new ObjectMapper().treeToValue(run.path("config").path("eef"), EefOptions.class);
    } catch (Exception e) {
      return b.append("<p>run.json's EEF options cannot be read: ").append(Svg.escape(e.getMessage()))
          .append("</p>\n").toString();
    }
    EefVariant variant = EefVariant.valueOf(method.path("variant").asText("EEF"));
    options = variant.apply(options.withM(method.path("m").asInt(options.m())).withSeed(seed));
    List<Trajectory> rollouts = TrajectoryFormat.read(explore);
    List<Trajectory> experts = new ArrayList<>();
    for (JsonNode e : method.path("experts")) {
      experts.addAll(TrajectoryFormat.read(runDir.resolve("experts").resolve(e.asText()).resolve("train.trajectories.jsonl")));
    }
    b.append("<p>").append(Svg.escape(method.path("label").asText())).append(", seed ").append(seed)
        .append(", iteration 1. Expert actions: <span class=\"tag b\">beneficial</span><span class=\"tag h\">harmful"
            + "</span><span class=\"tag n\">neutral</span>. In the training example: <span class=\"turn kept\">kept"
            + " (mask 1)</span> <span class=\"turn masked\">masked (mask 0)</span> <span class=\"turn agent\">agent's"
            + " continuation (mask 1)</span>. Open a task to see it.</p>\n");
    int shown = 0;
    for (Trajectory e : experts) {
      if (e.success() || shown >= MAX_TASKS) {
        continue;
      }
      List<Integer> selected = EefStateSelection.prefixLengths(e.actionCount(), options.m());
      EefOutcomes outcomes = EefOutcomes.collect(e, selected, rollouts);
      int k = outcomes.nextSuccess(0);
      if (k < 0) {
        continue;
      }
      EefClassification cls = EefClassification.of(outcomes);
      Trajectory solution =
          options.solutionSelection().select(outcomes.successes().get(k), options.seed(), e.id() + "@s0");
      Trajectory example = EefMasking.apply(solution, cls, 0, options);
      shown++;
      b.append(shown == 1 ? "<details open><summary>" : "<details><summary>").append(Svg.escape(e.taskId())).append(": expert ")
          .append(Svg.escape(e.id())).append(" failed (reward ").append(String.format(Locale.ROOT, "%.2f", e.reward()))
          .append("); the agent succeeded from s").append(outcomes.prefixLengths().get(k)).append("</summary>\n");
      b.append("<p><b>Explored states</b>: ");
      for (int i = 0; i < outcomes.states(); i++) {
        b.append("s").append(outcomes.prefixLengths().get(i)).append(outcomes.succeeded(i) ? " ✓" : " ✗")
            .append(i + 1 < outcomes.states() ? " · " : "");
      }
      b.append("</p>\n<p><b>The expert's failed trajectory</b></p>\n");
      b.append(observation(e.turns().getFirst().text()));
      for (int i = 0; i < e.actionCount(); i++) {
        ActionLabel label = cls.label(i);
        String css = switch (label) {
          case BENEFICIAL -> "b";
          case HARMFUL -> "h";
          case NEUTRAL -> "n";
        };
        b.append("<div class=\"turn ctx\"><span class=\"tag ").append(css).append("\">")
            .append(label.name().toLowerCase(Locale.ROOT)).append("</span>a").append(i).append(": ")
            .append(Svg.escape(e.action(i).text())).append("</div>\n");
        if (2 * i + 2 < e.turns().size()) {
          b.append(observation(e.turns().get(2 * i + 2).text()));
        }
      }
      b.append("<p><b>The training example</b> (restarted at s").append(outcomes.prefixLengths().get(k))
          .append(" by replaying the expert's first ").append(outcomes.prefixLengths().get(k)).append(" actions)</p>\n");
      for (Turn t : example.turns()) {
        switch (t) {
          case Turn.Observation o -> b.append(observation(o.text()));
          case Turn.Action a -> {
            String css = a.producer() == Producer.AGENT ? "agent" : a.trained() ? "kept" : "masked";
            b.append("<div class=\"turn ").append(css).append("\">").append(a.producer() == Producer.AGENT ? "agent: "
                : "expert: ").append(Svg.escape(a.text())).append("</div>\n");
          }
        }
      }
      b.append("<p>Outcome: reward ").append(String.format(Locale.ROOT, "%.2f", example.reward()))
          .append("</p></details>\n");
    }
    if (shown == 0) {
      b.append("<p>No task where the agent succeeded from inside a failed expert trajectory in iteration 1.</p>\n");
    }
    return b.toString();
  }

  private static String observation(String text) {
    String t = text.length() > OBS_CHARS ? text.substring(0, OBS_CHARS) + " …" : text;
    return "<div class=\"turn obs\">" + Svg.escape(t) + "</div>\n";
  }
}
