package org.eef4j.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ReactPromptTest {

  static Path etoPrompts() {
    Path p = Path.of(System.getProperty("eef4j.shared", "../shared"), "data", "eto", "prompts");
    Assumptions.assumeTrue(
        Files.exists(p.resolve("webshop_inst.txt")),
        "skipped: needs " + p + " (the ../shared folder beside the clone)");
    return p;
  }

  @Test
  void loadsEtosWebShopPromptAsEtoAssemblesIt() {
    Path p = etoPrompts();
    ReactPrompt prompt = ReactPrompt.loadEto(p.resolve("webshop_inst.txt"), p.resolve("webshop_icl.json"), true);
    List<ChatMessage> prefix = prompt.inferencePrefix();
    // instruction, OK, then ETO's one example of 4 observations and 4 replies: 10 messages, ETO's pred_traj_offset.
    assertThat(prefix).hasSize(10);
    assertThat(prefix.get(0).content()).startsWith("You are web shopping.").endsWith("Action: click[something]");
    assertThat(prefix.get(1)).isEqualTo(ChatMessage.assistant("OK"));
    assertThat(prefix.get(2).content()).startsWith("Observation:\nWebShop [SEP] Instruction:");
    assertThat(prefix.get(9).content()).endsWith("Action: click[Buy Now]");
    assertThat(prompt.trainingPrefix()).isEqualTo(prefix.subList(0, 2));
    ReactPrompt bare = ReactPrompt.loadEto(p.resolve("webshop_inst.txt"), p.resolve("webshop_icl.json"), false);
    assertThat(bare.inferencePrefix()).hasSize(2);
  }

  @Test
  void rejectsAnExampleThatDoesNotAlternate() {
    assertThatThrownBy(
            () -> new ReactPrompt("i", List.of(ChatMessage.user("a"), ChatMessage.user("b"))))
        .hasMessageContaining("message 1");
    assertThatThrownBy(() -> new ReactPrompt("i", List.of(new ChatMessage(Role.USER, "a"))))
        .hasMessageContaining("end with an assistant");
  }
}
