package org.eef4j.remote.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.Batch;
import org.eef4j.engine.model.LlamaModel;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported rows read by an independent reader: src/test/python/masked_loss.py (python3 and torch only) loads the
 * file and a tiny model and recomputes every row's masked loss with ../shared/tools/torch_reference.py's Llama; it
 * equals the engine's loss on the same ids and masks. So a trainer that reads the file trains on what the engine
 * would.
 */
class IndependentReaderTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SCRIPT = Path.of("src/test/python/masked_loss.py");

  private static void assumePythonWithTorch() throws IOException, InterruptedException {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON), "skipped: needs " + PYTHON + " (with torch) to run " + SCRIPT);
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    Assumptions.assumeTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0,
        "skipped: " + PYTHON + " cannot import torch (bin/install-torch-reference installs it)");
  }

  private static Path reference() {
    Path p = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("tools/torch_reference.py");
    Assumptions.assumeTrue(Files.isRegularFile(p), "skipped: needs " + p + " (the ../shared folder beside the clone)");
    return p;
  }

  private static List<String> read(Path rows, Path model) throws Exception {
    Process p = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), rows.toString(), model.toString(),
        reference().toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the reader finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.strip().lines().toList();
  }

  @Test
  void theReaderRecomputesTheEnginesMaskedLossFromTheExportedFile(@TempDir Path tmp) throws Exception {
    assumePythonWithTorch();
    ChatEncoder encoder = ChatEncoderTest.encoder("llama3");
    TrainingExample second = new TrainingExample("task-9/rft", List.of(
        new TrainingMessage(Role.USER, "You are shopping. Reply with an Action.", false),
        new TrainingMessage(Role.ASSISTANT, "OK", false),
        new TrainingMessage(Role.USER, "Instruction: blue socks [Search]", false),
        new TrainingMessage(Role.ASSISTANT, "Action: search[blue socks]", true)));
    List<TokenRow> rows = encoder.rows(List.of(ChatEncoderTest.EEF, second));
    Path file = tmp.resolve("train.tokens.jsonl");
    PreTokenizedFormat.write(file, rows);

    // a tiny Llama over Llama 3's vocabulary, random weights large enough that the loss differs by token
    ModelConfig config = new ModelConfig("llama", encoder.tokenizer().vocabSize(), 16, 32, 2, 2, 1, 8, 1e-5, 500000,
        true, false, false, 256);
    Parameters params = ModelInit.normal(config, 7, 0.2);
    ModelFiles.save(tmp.resolve("model"), params, DType.F32);
    LlamaModel engine = new LlamaModel(params);

    List<String> lines = read(file, tmp.resolve("model"));
    assertThat(lines).hasSize(2);
    for (int i = 0; i < rows.size(); i++) {
      TokenRow r = rows.get(i);
      String[] f = lines.get(i).split(" ");
      assertThat(f[0]).isEqualTo(r.id());
      assertThat(Integer.parseInt(f[2])).isEqualTo(r.trainedTokens());
      double ours = engine.forward(new Batch(1, r.length(), r.inputIds(), r.assistantMasks()),
          engine.newActivations(1, r.length()));
      assertThat(Double.parseDouble(f[1])).as(r.id()).isCloseTo(ours, within(1e-4 * Math.max(1, ours)));
    }

    // the comparison is not a rubber stamp: the same row trained on its observations too gives another loss
    TokenRow r = rows.getFirst();
    int[] wider = r.assistantMasks();
    TokenRow.Part observation = r.parts().get(2);
    java.util.Arrays.fill(wider, observation.first(), observation.last(), 1);
    Path leaked = tmp.resolve("leaked.tokens.jsonl");
    PreTokenizedFormat.write(leaked, List.of(new TokenRow(r.id(), r.inputIds(), wider, List.of())));
    double theirs = Double.parseDouble(read(leaked, tmp.resolve("model")).getFirst().split(" ")[1]);
    double ours = engine.forward(new Batch(1, r.length(), r.inputIds(), r.assistantMasks()),
        engine.newActivations(1, r.length()));
    assertThat(Math.abs(theirs - ours)).isGreaterThan(1e-3);
  }
}
