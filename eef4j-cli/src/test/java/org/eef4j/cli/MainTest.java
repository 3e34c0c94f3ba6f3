package org.eef4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryCommand() {
    Result r = run("--help");
    assertThat(r.code()).isEqualTo(Main.OK);
    assertThat(r.out()).contains("webshop", "bench");
  }

  @Test
  void unknownOptionIsAUsageError() {
    Result r = run("--no-such-option");
    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("--no-such-option");
  }
}
