package org.eef4j.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eef4j.core.pipeline.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/paper-webshop.yaml is a valid run config, checked offline: its data, model and tokenizer paths pointed at
 * local stand-ins (WebShop-1k for the full catalogue, Llama 3's real tokenizer and chat template beside a config.json
 * for the 8B model's directory), it parses with every key known and every placeholder of the trainer commands known,
 * and it says what the paper ran. Servers (vLLM, OpenAI) are not reached: `--check` does that on the GPU machine.
 */
class PaperWebShopConfigTest {

  static final Path EXAMPLE = Path.of("..", "examples", "paper-webshop.yaml");

  @TempDir Path tmp;

  @Test
  void thePaperConfigParsesAndSaysWhatThePaperRan() throws Exception {
    Path shared = Path.of(System.getProperty("eef4j.shared", "../shared"));
    Path webshop = shared.resolve("data/webshop-1k");
    Path llama3 = shared.resolve("fixtures/tokenizers/llama3");
    assumeTrue(Files.isDirectory(webshop) && Files.isDirectory(llama3), "skipped: needs " + shared);
    Path model = tmp.resolve("Meta-Llama-3-8B-Instruct");
    Files.createDirectories(model);
    for (String f : new String[] {"tokenizer.json", "tokenizer_config.json"}) {
      Files.copy(llama3.resolve(f), model.resolve(f));
    }
    // Llama-3-8B's shape: what the trainer's output is checked against
    Files.writeString(model.resolve("config.json"), """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 128256, "hidden_size": 4096,
         "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8,
         "rms_norm_eps": 1e-05, "rope_theta": 500000.0, "max_position_embeddings": 8192, "tie_word_embeddings": false}
        """);
    String text = Files.readString(EXAMPLE)
        .replace("/data/webshop", webshop.toAbsolutePath().toString())
        .replace("/models/Meta-Llama-3-8B-Instruct", model.toAbsolutePath().toString());
    Path examples = tmp.resolve("examples");
    Files.createDirectories(examples);
    RunConfig c = RunConfig.parse(text, "paper-webshop.yaml", examples);

    assertThat(c.environment()).isInstanceOfSatisfying(WebShopSetup.class, w -> {
      assertThat(w.shop().humanGoals()).isTrue();
      assertThat(w.shop().testTasks()).isEqualTo(200);
    });
    assertThat(c.experts()).extracting(ExpertSetup::name).containsExactly("gpt4", "gpt35");
    assertThat(c.experts()).allMatch(e -> e instanceof ExpertSetup.Own<?> o && o.kind().equals("llm"));
    assertThat(c.student()).isInstanceOf(StudentSetup.Remote.class);
    assertThat(c.pipeline().iterations()).isEqualTo(3);
    assertThat(c.pipeline().eef().m()).isEqualTo(5);
    assertThat(c.pipeline().methods()).extracting(Method::id).contains("sft", "rft", "eto", "eef");
    assertThat(c.pipeline().methods()).anyMatch(m -> m.id().startsWith("rft") && m.label().contains("6"));
    assertThat(c.trainer()).isInstanceOfSatisfying(TrainerSetup.Command.class, t -> {
      assertThat(t.sft()).contains("trainers/reference/train.py --manifest {manifest}");
      assertThat(t.dpo()).contains("--beta");
      assertThat(t.baseModel()).contains(model);
    });
  }
}
