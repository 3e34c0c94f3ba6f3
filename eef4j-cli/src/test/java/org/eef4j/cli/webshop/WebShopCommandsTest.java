package org.eef4j.cli.webshop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eef4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebShopCommandsTest {

  record Result(int code, String out, String err) {}

  static Result run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
      return new Result(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  static Path data() {
    Path dir = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("data/webshop-1k");
    assumeTrue(Files.exists(dir.resolve("products.jsonl")), "skipped: needs " + dir + " (the ../shared folder)");
    return dir;
  }

  @Test
  void playShowsEachPageAndTheReward() {
    Result r = run("search[tempered glass screen protector under $40]\n\nclick[b095pf5bxt]\nclick[buy now]\n",
        "webshop", "play", "--data", data().toString(), "--goal", "71");
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    assertThat(r.out()).contains(
        "WebShop [SEP] Instruction: [SEP] Find me screen protectors with tempered glass, glass screen, and price "
            + "lower than 40.00 dollars [SEP] Search",
        "[step 0/10] search[...]\n",
        "Page 1 (Total results: 50) [SEP] Next > [SEP] B083ZK4NRS",
        "[step 2/10] search[...] or click[...] on one of: [back to search, < prev, description, features, reviews, "
            + "buy now]",
        "Thank you for shopping with us!",
        "Reward: 1.0");
  }

  @Test
  void playReportsRunningOutOfStepsOrInput() {
    Result limited = run("search[x]\nclick[nothing]\n", "webshop", "play", "--data", data().toString(), "--goal", "0",
        "--max-steps", "2");
    assertThat(limited.code()).isEqualTo(Main.OK);
    assertThat(limited.out()).contains("Out of steps after 2 actions: reward 0.0");
    Result ended = run("search[x]\n", "webshop", "play", "--data", data().toString(), "--goal", "0");
    assertThat(ended.code()).isEqualTo(Main.FAILED);
    assertThat(ended.out()).contains("Input ended before a purchase.");
  }

  @Test
  void playDefaultsToTheSyntheticCatalogue() {
    Result r = run("search[anything]\n", "webshop", "play", "--goal", "0");
    assertThat(r.code()).as(r.err()).isEqualTo(Main.FAILED);
    assertThat(r.out()).startsWith("\nWebShop [SEP] Instruction: [SEP] ").contains("Page 1 (Total results: ");
  }

  @Test
  void badInputIsAOneLineUsageError(@TempDir Path empty) {
    Result noDir = run("", "webshop", "play", "--data", empty.resolve("missing").toString(), "--goal", "0");
    assertThat(noDir.code()).isEqualTo(Main.USAGE);
    assertThat(noDir.err()).contains("error: --data").contains("no such directory");
    Result noCatalogue = run("", "webshop", "serve", "--data", empty.toString(), "--port", "0");
    assertThat(noCatalogue.code()).isEqualTo(Main.USAGE);
    assertThat(noCatalogue.err()).contains("items_ins_v2");
    Result badGoal = run("", "webshop", "play", "--data", data().toString(), "--goal", "6910");
    assertThat(badGoal.code()).isEqualTo(Main.USAGE);
    assertThat(badGoal.err()).contains("--goal 6910 is outside 0..6909");
  }

  @Test
  void benchPrintsEveryFigure() {
    Result r = run("", "bench", "webshop", "--data", data().toString(), "--seconds", "0.1", "--threads", "2",
        "--warmup-ops", "10");
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    assertThat(r.out()).contains("loaded 1000 products and 6910 goals", "search steps", "click steps",
        "reset+replay of 10 actions", "CPU us/op", "(all cores = 2 threads)", "expert search steps",
        "expert fallback searches", "the scripted expert's first searches: 6910 (");
    assertThat(r.out()).doesNotContain("agent searches (file)");
  }

  @Test
  void benchTimesTheSearchesOfAFileOfAgentOutput(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("trajectories.jsonl");
    Files.writeString(file, """
        {"conversations": [{"from": "gpt", "value": "Thought: look.\\nAction: search[red \\"wool\\" socks]"}]}
        {"conversations": [{"from": "gpt", "value": "Action: search[red wool socks]"}]}
        """);
    Result r = run("", "bench", "webshop", "--data", data().toString(), "--seconds", "0.05", "--threads", "1",
        "--warmup-ops", "1", "--agent-searches", file.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    assertThat(r.out()).contains("agent searches (file)", "search[...] actions of " + file + ": 2 (2 distinct)");

    Path none = dir.resolve("none.txt");
    Files.writeString(none, "Action: search[query] is how to search\n");
    Result empty = run("", "bench", "webshop", "--data", data().toString(), "--agent-searches", none.toString());
    assertThat(empty.code()).isEqualTo(Main.USAGE);
    assertThat(empty.err()).contains("--agent-searches " + none + ": holds no search[...] action");
  }
}
