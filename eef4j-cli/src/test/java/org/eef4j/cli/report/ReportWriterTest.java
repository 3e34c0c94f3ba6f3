package org.eef4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.agent.RolloutOptions;
import org.eef4j.core.method.EefOptions;
import org.eef4j.core.method.EefVariant;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.Method;
import org.eef4j.core.pipeline.Pipeline;
import org.eef4j.core.pipeline.PipelineConfig;
import org.eef4j.core.pipeline.PipelineSetup;
import org.eef4j.core.pipeline.RunMetrics;
import org.eef4j.core.pipeline.TaskSuite;
import org.eef4j.toyshop.TabularStudent;
import org.eef4j.toyshop.ToyExpert;
import org.eef4j.toyshop.ToyShop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  @Test
  void reportsTablesPlotsAndTheTrajectoryViewer(@TempDir Path dir) throws Exception {
    List<String> train = ToyShop.tasks(0, 20);
    List<String> test = ToyShop.tasks(100, 110);
    List<String> all = new ArrayList<>(train);
    all.addAll(test);
    PipelineSetup setup = new PipelineSetup(
        ToyShop.factory(), new ReactPrompt("Shop.", List.of()), new TaskSuite("toy test", train, test,
        ToyShop.categories(all)), List.of(new ExpertSource.Played("scripted", new ToyExpert(0))),
        TabularStudent.factory());
    PipelineConfig config = new PipelineConfig(
        List.of(new Method.Expert("scripted"), new Method.Sft(), new Method.Rft(1),
            new Method.Eef(EefVariant.EEF, 5, List.of("scripted"))),
        List.of(1L, 2L), RolloutOptions.defaults(), EefOptions.defaults().withIterations(2), 5);
    new Pipeline(setup, config, dir, p -> {}).run();

    RunMetrics m = ReportWriter.write(dir);
    String md = Files.readString(dir.resolve("report.md"));
    assertThat(md).contains("test set: **toy test**", "| EEF | 100.0 ± 0.0 |", "## Every iteration",
        "## Win rate % per category", "| hard |", "## Skill usage", "next page", "## Compute", "**total**",
        "## How the test episodes ended", "| EEF | 100.0 | 0.0 | 0.0 |", "## The paper's shape",
        "| RFT plateaus | **holds** |", "| EEF solves training tasks no baseline solves | **holds** |",
        "| not measured | the run needs RFT×6 (k = 1 + M) |");
    for (var method : m.methods()) {
      assertThat(method.last().endings().values().stream().mapToDouble(Double::doubleValue).sum())
          .as(method.label()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    }
    String html = Files.readString(dir.resolve("report.html"));
    assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script", "http://cdn", "https://");
    assertThat(html.split("<svg ", -1)).hasSize(6); // five plots
    assertThat(html).contains("Win rate on toy test", "solved for the first time", "by start state", "Skill usage");
    // the claims follow the comparison table, once, before the plots
    assertThat(html.split("The paper&#39;s shape|The paper's shape", -1)).hasSize(2);
    assertThat(html.indexOf("<h2>The paper")).isBetween(html.indexOf("<h2>Comparison"), html.indexOf("<h2>Plots"));
    assertThat(html).contains("<details open>", "<details>", "the agent succeeded from s", "class=\"turn masked\"", "class=\"turn agent\"",
        "click[next &gt;]");
    // a method keeps its colour across plots: RFT and EEF are the third and fourth methods, also where the expert and
    // SFT have no bars
    assertThat(ReportPlots.newlySolved(m)).contains(Charts.colour(2), Charts.colour(3))
        .doesNotContain(Charts.colour(0), Charts.colour(1));
    assertThat(ReportWriter.table(m)).contains("expert (scripted)", "RFT", "EEF").contains("40.0 ± 0.0")
        .doesNotContain("seeds that finished", "of 2 seeds");

    // a run killed before seed 2's last EEF iteration was evaluated: its final figures cover seed 1 alone, and the
    // report says so instead of presenting them as the mean over both seeds
    try (var files = Files.walk(dir.resolve("seed-2"))) {
      Path lastEval = files.filter(f -> f.endsWith(Path.of("iter-2", "test.eval.json")))
          .filter(f -> f.toString().contains("eef")).findFirst().orElseThrow();
      Files.delete(lastEval);
    }
    RunMetrics partial = ReportWriter.write(dir);
    assertThat(ReportWriter.table(partial)).contains("seeds that finished", "EEF (1 of 2 seeds)")
        .doesNotContain("RFT (1 of 2 seeds)");
    assertThat(Files.readString(dir.resolve("report.md"))).contains("| EEF (1 of 2 seeds) | 2 |", "| EEF | 1 |");
  }

  @Test
  void svgTextIsEscaped() {
    String svg = new Svg(10, 10, "a<b").text(0, 0, "x & \"y\"", "start", "#000", 10, false).toString();
    assertThat(svg).contains("<title>a&lt;b</title>", "x &amp; &quot;y&quot;").endsWith("</svg>");
  }

  @Test
  void skillColumnsAreLabelledAsTheRunsEnvironmentLabelsItsKinds() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String kind : List.of("webshop", "WebShop", "toy", "Toy")) {
      var run = json.readTree("{\"run_config\": {\"environment\": {\"kind\": \"" + kind + "\"}}}");
      assertThat(ReportWriter.actionKinds(run).label("ITEM")).as(kind).isEqualTo("first item");
      assertThat(ReportWriter.actionKinds(run).label("NEXT_PAGE")).as(kind).isEqualTo("next page");
    }
    var other = json.readTree("{\"run_config\": {\"environment\": {\"kind\": \"sciworld\"}}}");
    assertThat(ReportWriter.actionKinds(other).label("FOCUS_ON")).isEqualTo("focus on");
  }

  @Test
  void skillColumnsTakeTheLabelsTheRunRecorded() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    // an environment the report has never heard of, labelling a kind its own way
    var run = json.readTree("{\"run_config\": {\"environment\": {\"kind\": \"lab\"}},"
        + " \"action_kinds\": {\"POUR\": \"pour into\", \"LOOK\": \"look\"}}");
    assertThat(ReportWriter.actionKinds(run).names()).containsExactly("POUR", "LOOK");
    assertThat(ReportWriter.actionKinds(run).label("POUR")).isEqualTo("pour into");
    assertThat(ReportWriter.actionKinds(run).label("WAIT_LONG")).isEqualTo("wait long");
    // the recorded labels win over the environment kind's
    var web = json.readTree("{\"run_config\": {\"environment\": {\"kind\": \"webshop\"}},"
        + " \"action_kinds\": {\"ITEM\": \"an item\"}}");
    assertThat(ReportWriter.actionKinds(web).label("ITEM")).isEqualTo("an item");
  }
}
