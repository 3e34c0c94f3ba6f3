package org.eef4j.remote.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The reference trainer's own logic on a CPU (trainers/reference/test_train.py: its masked SFT loss equals
 * torch_reference's, the loss falls, DPO starts at log 2 and falls, the output files are written), with python3 and
 * torch only; transformers, accelerate and peft are stood in for, and the GPU check runs them for real.
 */
class ReferenceTrainerTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SCRIPT = Path.of("..", "trainers", "reference", "test_train.py");

  @Test
  void theReferenceTrainerTrainsOnTheContractsRows() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON), "skipped: needs " + PYTHON + " with torch");
    Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
    probe.getInputStream().readAllBytes();
    Assumptions.assumeTrue(probe.waitFor(2, TimeUnit.MINUTES) && probe.exitValue() == 0,
        "skipped: " + PYTHON + " cannot import torch (bin/install-torch-reference installs it)");
    Path reference = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("tools/torch_reference.py");
    Assumptions.assumeTrue(Files.isRegularFile(reference), "skipped: needs " + reference);
    Process p = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), reference.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("masked loss: train.py", "sft: 120 steps", "dpo: 20 steps").endsWith("ok\n");
  }
}
