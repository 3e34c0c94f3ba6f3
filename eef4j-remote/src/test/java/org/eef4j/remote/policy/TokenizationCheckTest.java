package org.eef4j.remote.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.remote.testing.FakeServer;
import org.eef4j.remote.testing.Shared;
import org.eef4j.remote.testing.Shop;
import org.eef4j.student.tokens.ChatTokens;
import org.junit.jupiter.api.Test;

class TokenizationCheckTest {

  static List<List<ChatMessage>> conversations() {
    List<ChatMessage> c = new ArrayList<>(Shop.PROMPT.inferencePrefix());
    c.add(ChatMessage.user("Task: find item task_0 [SEP] Search"));
    return List.of(c);
  }

  @Test
  void aServerThatTokenizesAsEef4jPasses() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer s = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.VLLM, s.uri()))) {
      assertThat(TokenizationCheck.run(client, tokens, conversations())).isEmpty();
      assertThat(s.bodies("/tokenize")).hasSize(2); // the text, then the messages through the server's template
    }
  }

  @Test
  void aServerWithAnotherTokenizerIsRefusedNamingTheToken() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer s = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.VLLM, s.uri()))) {
      s.tokenizeDiffersAt = 7;
      int[] ours = tokens.tokenizeWhole(conversations().getFirst(), true);

      assertThatThrownBy(() -> TokenizationCheck.run(client, tokens, conversations()))
          .isInstanceOf(ServerMismatchException.class)
          .hasMessageContaining("differ at token 7")
          .hasMessageContaining("id " + (ours[7] + 1))
          .hasMessageContaining("against id " + ours[7]);
    }
  }

  @Test
  void aServerWithoutTokenizeIsNotedNotRefused() throws Exception {
    ChatTokens tokens = Shared.llama3();
    try (FakeServer s = new FakeServer(tokens, RemotePolicyTest.MODEL, Shop::model);
        ServerClient client = new ServerClient(RemotePolicyTest.options(ServerApi.SGLANG, s.uri()))) {
      s.tokenize = false;

      assertThat(TokenizationCheck.run(client, tokens, conversations()))
          .singleElement().asString().contains("has no /tokenize");
    }
  }
}
