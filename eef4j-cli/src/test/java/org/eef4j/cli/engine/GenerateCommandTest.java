package org.eef4j.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.cli.Main;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.TrainedBpe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A small random model beside a tiny ChatML tokenizer trained here (its tokenizer_config.json holds the template). */
  static Path tinyModel(Path dir) {
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 30; i++) corpus.add("Once upon a time there was a shop with " + i + " red shoes. Hello!");
    TrainedBpe bpe = BpeTrainer.train(corpus, BpeTrainer.Config.chatMl(300));
    bpe.save(dir);
    ModelConfig c = new ModelConfig("qwen2", bpe.tokenizer().vocabSize(), 16, 32, 1, 2, 1, 8, 1e-6, 1e6, true, true,
        false, 512);
    ModelFiles.save(dir, ModelInit.normal(c, 1, 0.5), DType.F32);
    return dir;
  }

  @Test
  void generatesDeterministicallyAndTheSeedMatters(@TempDir Path tmp) {
    Path dir = tinyModel(tmp);
    Result greedy = run("generate", "--model", dir.toString(), "--prompt", "Hello", "--chat", "--max-tokens", "6",
        "--stats");
    assertThat(greedy.code()).as(greedy.err()).isEqualTo(Main.OK);
    assertThat(greedy.out()).isNotBlank();
    assertThat(greedy.err()).contains("prompt tokens", "tokens/s");
    assertThat(run("generate", "--model", dir.toString(), "--prompt", "Hello", "--chat", "--max-tokens", "6").out())
        .isEqualTo(greedy.out());
    String[] sampled = new String[3];
    for (int s = 0; s < 3; s++) {
      sampled[s] = run("generate", "--model", dir.toString(), "--prompt", "Once upon a time", "--max-tokens", "8",
          "--temperature", "1", "--top-k", "50", "--seed", String.valueOf(s)).out();
    }
    assertThat(run("generate", "--model", dir.toString(), "--prompt", "Once upon a time", "--max-tokens", "8",
        "--temperature", "1", "--top-k", "50", "--seed", "1").out()).isEqualTo(sampled[1]);
    assertThat(sampled).doesNotHaveDuplicates();
  }

  @Test
  void aMissingOrBrokenModelDirectoryIsAClearUsageError(@TempDir Path tmp) throws IOException {
    Result missing = run("generate", "--model", tmp.resolve("nope").toString(), "--prompt", "x");
    assertThat(missing.code()).isEqualTo(Main.USAGE);
    assertThat(missing.err()).contains("nope", "no such model directory");

    Files.writeString(tmp.resolve("config.json"), "{\"model_type\": \"llama\"}");
    Result noTokenizer = run("generate", "--model", tmp.toString(), "--prompt", "x");
    assertThat(noTokenizer.code()).isEqualTo(Main.USAGE);
    assertThat(noTokenizer.err()).contains("tokenizer.json is missing");

    Files.writeString(tmp.resolve("tokenizer.json"), "{}");
    Result noWeights = run("generate", "--model", tmp.toString(), "--prompt", "x");
    assertThat(noWeights.code()).isEqualTo(Main.USAGE);
    assertThat(noWeights.err()).contains("model.safetensors");

    Files.write(tmp.resolve("model.safetensors"), new byte[] {1, 2, 3});
    Result corrupt = run("generate", "--model", tmp.toString(), "--prompt", "x");
    assertThat(corrupt.code()).isEqualTo(Main.USAGE);
    assertThat(corrupt.err()).contains(tmp.toString());

    Result badOption = run("generate", "--model", tmp.toString(), "--prompt", "x", "--top-p", "0");
    assertThat(badOption.code()).isEqualTo(Main.USAGE);
    assertThat(badOption.err()).contains("top-p");
  }
}
