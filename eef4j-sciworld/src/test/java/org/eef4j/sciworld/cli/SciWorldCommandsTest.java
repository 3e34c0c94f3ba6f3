package org.eef4j.sciworld.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eef4j.sciworld.Shared;
import org.eef4j.sciworld.sim.Simulator;
import org.eef4j.sciworld.sim.SimulatorJar;
import org.eef4j.sciworld.sim.SimulatorPool;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SciWorldCommandsTest {

  private record Ran(int code, String out, String err) {}

  private static Ran run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SciWorldCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Ran(code, out.toString(), err.toString());
  }

  @Test
  void aWrongJarIsAUserErrorNamingIt() {
    Ran r = run("play", "--jar", "/no/such/scienceworld.jar", "--task", "11_0");
    assertThat(r.code()).isEqualTo(Commands.USAGE);
    assertThat(r.err()).startsWith("error: ").contains("/no/such/scienceworld.jar").contains("does not exist");
  }

  @Test
  void aBadTaskIdIsAUserError() {
    SimulatorJar jar = Shared.jar("1.3.0");
    Ran r = run("play", "--jar", jar.path().toString(), "--task", "boil");
    assertThat(r.code()).isEqualTo(Commands.USAGE);
    assertThat(r.err()).contains("'boil'");
  }

  @Test
  void playingTheGoldPathInTheTerminalWins() {
    SimulatorJar jar = Shared.jar("1.3.0");
    List<String> gold;
    try (SimulatorPool pool = new SimulatorPool(jar)) {
      Simulator sim = pool.acquire();
      sim.load("task-3-find-animal", 0, "easy", true);
      gold = sim.goldActions();
      pool.release(sim);
    }
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream((String.join("\n", gold) + "\n").getBytes(StandardCharsets.UTF_8)));
      Ran r = run("play", "--jar", jar.path().toString(), "--eto", Shared.dir().resolve("data/eto").toString(),
          "--task", "11_0");
      assertThat(r.code()).as(r.err()).isEqualTo(Commands.OK);
      assertThat(r.out()).contains("Your task is to find a(n) animal").contains("at most 15 steps")
          .contains("score 100, won");
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void theExpertSampleTakesTheFirstTasksOfEachType() {
    assertThat(ExpertCommand.sample(List.of("0_1", "0_2", "11_5", "0_3", "11_6", "11_7"), 2))
        .containsExactly("0_1", "0_2", "11_5", "11_6");
    assertThat(ExpertCommand.sample(List.of("0_1", "0_2"), 0)).containsExactly("0_1", "0_2");
  }
}
