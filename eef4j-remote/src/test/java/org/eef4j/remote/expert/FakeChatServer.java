package org.eef4j.remote.expert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.toyshop.ToyExpert;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;

/**
 * An OpenAI-compatible chat server on loopback for tests: {@code POST /v1/chat/completions} answered by the toy shop's
 * scripted expert reading the conversation, with usage counted as one token per 4 characters (prompt: every message's
 * content; completion: the reply), so a test can compute what the counts must be. Requests matching {@code failWhen}
 * get HTTP 500; every request body is recorded.
 */
final class FakeChatServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  volatile Predicate<JsonNode> failWhen = body -> false;
  volatile int status = 200;

  FakeChatServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/chat/completions", this::complete);
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  static long tokens(String text) {
    return (text.length() + 3) / 4;
  }

  /** What the server answers to a conversation: the toy expert's reply. */
  static final Function<List<ChatMessage>, String> REPLY = messages -> {
    Reply r = new ToyExpert(0).generate(List.of(new GenerationRequest(messages, 0)), SamplingParams.greedy()).getFirst();
    return ((Reply.Text) r).text();
  };

  private void complete(HttpExchange x) throws IOException {
    JsonNode body = JSON.readTree(x.getRequestBody());
    requests.add(body);
    if (status != 200) {
      send(x, status, "{\"error\":{\"message\":\"refused\",\"type\":\"invalid_request_error\",\"code\":null}}");
      return;
    }
    if (failWhen.test(body)) {
      send(x, 500, "{\"error\":{\"message\":\"the model crashed\",\"type\":\"server_error\",\"code\":null}}");
      return;
    }
    List<ChatMessage> messages = new ArrayList<>();
    long promptTokens = 0;
    for (JsonNode m : body.get("messages")) {
      String content = m.get("content").asText();
      promptTokens += tokens(content);
      messages.add(new ChatMessage(Role.valueOf(m.get("role").asText().toUpperCase()), content));
    }
    String reply = REPLY.apply(messages);
    ObjectNode out = JSON.createObjectNode();
    out.put("id", "chatcmpl-" + requests.size()).put("object", "chat.completion").put("created", 0)
        .put("model", body.get("model").asText());
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0).put("finish_reason", "stop").putNull("logprobs");
    choice.putObject("message").put("role", "assistant").put("content", reply);
    out.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", tokens(reply))
        .put("total_tokens", promptTokens + tokens(reply));
    send(x, 200, JSON.writeValueAsString(out));
  }

  private static void send(HttpExchange x, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
