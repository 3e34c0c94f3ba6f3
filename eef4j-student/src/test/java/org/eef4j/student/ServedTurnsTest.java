package org.eef4j.student;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.engine.serve.ServedModel;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.eef4j.student.model.ChatFormat;

/**
 * {@code eef4j serve} renders and ends a conversation as the student does: the same template text and the same stop
 * tokens, for a model trained from scratch and for Llama 3's and Qwen3's tokenizers (../shared/fixtures/tokenizers).
 */
class ServedTurnsTest {

  static final List<ChatMessage> CONVERSATION = List.of(new ChatMessage(org.eef4j.core.trajectory.Role.SYSTEM, "Shop."),
      ChatMessage.user("find red shoes"));

  static void assertSame(Path dir) {
    Tokenizer tokenizer = Tokenizer.load(dir);
    ChatFormat student = ChatFormat.load(dir, tokenizer);
    ServedModel.Turns served = ServedModel.Turns.of(dir, tokenizer);
    assertThat(served.stopTokens()).containsExactly(student.stopTokens());
    assertThat(served.template().renderText(ChatFormat.toTemplate(CONVERSATION), true))
        .isEqualTo(student.render(CONVERSATION));
  }

  @Test
  void aModelTrainedFromScratch(@TempDir Path dir) {
    TinyModels.tokenizer().save(dir);
    assertSame(dir);
  }

  @Test
  void llama3AndQwen3Tokenizers() {
    String shared = System.getProperty("eef4j.shared");
    Assumptions.assumeTrue(shared != null, "eef4j.shared is not set: the tokenizer fixtures live in ../shared");
    for (String name : List.of("llama3", "qwen3")) {
      Path dir = Path.of(shared, "fixtures", "tokenizers", name);
      Assumptions.assumeTrue(Files.isDirectory(dir), dir + " is missing");
      assertSame(dir);
    }
  }
}
