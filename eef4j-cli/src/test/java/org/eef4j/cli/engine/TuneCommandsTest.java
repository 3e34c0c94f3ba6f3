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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tokenizer train → model init → sft (stopped, resumed), end to end through the command line. */
class TuneCommandsTest {

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  static Path chats(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lines.add("{\"messages\": [{\"role\": \"system\", \"content\": \"You shop.\"}, {\"role\": \"user\", \"content\": "
          + "\"find shoes size " + i + "\"}, {\"role\": \"assistant\", \"content\": \"search[shoes " + i + "]\", "
          + "\"weight\": " + (i % 2) + "}, {\"role\": \"user\", \"content\": \"page " + i + "\"}, "
          + "{\"role\": \"assistant\", \"content\": \"click[buy now]\"}]}");
    }
    Files.write(file, lines);
    return file;
  }

  @Test
  void fromACorpusToAFineTunedModel(@TempDir Path tmp) throws IOException {
    Path data = chats(tmp.resolve("train.jsonl"));
    Result tok = run("tokenizer", "train", "--corpus", data.toString(), "--vocab-size", "300", "--out",
        tmp.resolve("tok").toString());
    assertThat(tok.code()).as(tok.err()).isEqualTo(Main.OK);
    assertThat(tmp.resolve("tok/tokenizer.json")).isRegularFile();
    assertThat(tok.out()).containsPattern("tok: (2[6-9]\\d|300) tokens"); // a small corpus may run out of merges

    Files.writeString(tmp.resolve("config.json"), """
        {"model_type": "llama", "vocab_size": 300, "hidden_size": 32, "intermediate_size": 64,
         "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "rms_norm_eps": 1e-5,
         "max_position_embeddings": 128, "tie_word_embeddings": true}""");
    Result init = run("model", "init", "--config", tmp.resolve("config.json").toString(), "--tokenizer",
        tmp.resolve("tok").toString(), "--out", tmp.resolve("base").toString(), "--seed", "3");
    assertThat(init.code()).as(init.err()).isEqualTo(Main.OK);
    assertThat(tmp.resolve("base/model.safetensors")).isRegularFile();
    Result flat = run("model", "init", "--config", tmp.resolve("config.json").toString(), "--tokenizer",
        tmp.resolve("tok").toString(), "--out", tmp.resolve("flat").toString(), "--std", "0");
    assertThat(flat.code()).isEqualTo(Main.USAGE);
    assertThat(flat.err()).contains("--std must be positive");
    Result wide = run("model", "init", "--config", tmp.resolve("config.json").toString(), "--tokenizer",
        tmp.resolve("tok").toString(), "--out", tmp.resolve("wide").toString(), "--seed", "3", "--std", "0.1");
    assertThat(wide.code()).as(wide.err()).isEqualTo(Main.OK);
    // same seed, five times the spread: the same draws scaled, so the files differ
    assertThat(Files.readAllBytes(tmp.resolve("wide/model.safetensors")))
        .isNotEqualTo(Files.readAllBytes(tmp.resolve("base/model.safetensors")));
    assertThat(tmp.resolve("base/tokenizer_config.json")).isRegularFile();

    String[] sft = {"sft", "--model", tmp.resolve("base").toString(), "--data", data.toString(), "--out",
        tmp.resolve("run").toString(), "--epochs", "2", "--lr", "1e-3", "--batch", "256", "--seq", "128",
        "--save-every", "2", "--log-every", "1"};
    List<String> stopped = new ArrayList<>(List.of(sft));
    stopped.addAll(List.of("--max-steps", "3"));
    Result first = run(stopped.toArray(String[]::new));
    assertThat(first.code()).as(first.err()).isEqualTo(Main.OK);
    assertThat(first.out()).contains("stopped after step 3 of");
    assertThat(first.err()).contains("step 1/", "loss", "tok/s", "eta");
    // the stop writes its own checkpoint (and the save at step 2 gives way to it): no step is lost
    assertThat(tmp.resolve("run/checkpoint-3/optimizer.safetensors")).isRegularFile();
    assertThat(tmp.resolve("run/checkpoint-2")).doesNotExist();

    Result again = run(sft);
    assertThat(again.code()).isEqualTo(Main.USAGE);
    assertThat(again.err()).contains("--resume");

    List<String> resumed = new ArrayList<>(List.of(sft));
    resumed.add("--resume");
    Result rest = run(resumed.toArray(String[]::new));
    assertThat(rest.code()).as(rest.err()).isEqualTo(Main.OK);
    assertThat(rest.err()).contains("step 4/").doesNotContain("step 3/");
    assertThat(rest.out()).contains("done:").contains("final");
    assertThat(tmp.resolve("run/final/model.safetensors")).isRegularFile();
    Result generate = run("generate", "--model", tmp.resolve("run/final").toString(), "--prompt", "find shoes",
        "--chat", "--max-tokens", "4");
    assertThat(generate.code()).as(generate.err()).isEqualTo(Main.OK);
  }

  @Test
  void loraFineTuningWritesAPeftAdapterAndTheMergedModel(@TempDir Path tmp) throws IOException {
    Path data = chats(tmp.resolve("train.jsonl"));
    assertThat(run("tokenizer", "train", "--corpus", data.toString(), "--vocab-size", "300", "--out",
        tmp.resolve("tok").toString()).code()).isEqualTo(Main.OK);
    Files.writeString(tmp.resolve("config.json"), """
        {"model_type": "qwen2", "vocab_size": 300, "hidden_size": 32, "intermediate_size": 64,
         "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 128}""");
    assertThat(run("model", "init", "--config", tmp.resolve("config.json").toString(), "--tokenizer",
        tmp.resolve("tok").toString(), "--out", tmp.resolve("base").toString()).code()).isEqualTo(Main.OK);
    Result r = run("sft", "--model", tmp.resolve("base").toString(), "--data", data.toString(), "--out",
        tmp.resolve("run").toString(), "--epochs", "1", "--lr", "1e-2", "--batch", "256", "--seq", "128",
        "--lora-rank", "4", "--lora-targets", "q_proj,v_proj", "--merge");
    assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
    assertThat(tmp.resolve("run/final/adapter_config.json")).content().contains("\"q_proj\"", "\"v_proj\"")
        .doesNotContain("up_proj");
    assertThat(tmp.resolve("run/merged/model.safetensors")).isRegularFile();
    Result bad = run("sft", "--model", tmp.resolve("base").toString(), "--data", data.toString(), "--out",
        tmp.resolve("run2").toString(), "--lora-rank", "4", "--lora-targets", "qkv");
    assertThat(bad.code()).isEqualTo(Main.USAGE);
    assertThat(bad.err()).contains("unknown LoRA target 'qkv'");
  }

  @Test
  void badInputIsAUsageError(@TempDir Path tmp) throws IOException {
    Result missing = run("sft", "--model", tmp.toString(), "--data", tmp.resolve("none.jsonl").toString(), "--out",
        tmp.resolve("o").toString());
    assertThat(missing.code()).isEqualTo(Main.USAGE);
    assertThat(missing.err()).contains("none.jsonl");
    Files.writeString(tmp.resolve("bad.jsonl"), "{\"messages\": [{\"role\": \"user\", \"content\": \"x\", \"weight\": 0}]}\n");
    Result bad = run("sft", "--model", tmp.toString(), "--data", tmp.resolve("bad.jsonl").toString(), "--out",
        tmp.resolve("o").toString());
    assertThat(bad.code()).isEqualTo(Main.USAGE);
    assertThat(bad.err()).contains("weight");
    Files.writeString(tmp.resolve("corpus.txt"), "some text\nmore text\n");
    Result small = run("tokenizer", "train", "--corpus", tmp.resolve("corpus.txt").toString(), "--vocab-size", "10",
        "--out", tmp.resolve("t").toString());
    assertThat(small.code()).isEqualTo(Main.USAGE);
    assertThat(small.err()).contains("vocabSize 10");
  }
}
