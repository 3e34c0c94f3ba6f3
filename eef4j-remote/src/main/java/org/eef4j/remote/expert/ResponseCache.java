package org.eef4j.remote.expert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eef4j.core.format.AtomicFiles;
import org.eef4j.core.format.FormatException;
import org.eef4j.core.format.FormatTag;

/**
 * Chat responses on disk, one file per request, {@code DIR/ab/abcdef….json} named by the request's SHA-256
 * ({@link ChatRequest#key}), so that a rerun or a resumed run asks the server nothing it asked before, and two runs
 * share what they both asked. Only answers are kept: a failed request is asked again next time.
 *
 * <p>Layout of a file: {@code {"format": "eef4j-chat-cache", "version": 1, "request": {model, messages, temperature,
 * max_tokens, stop}, "response": {"content", "prompt_tokens", "completion_tokens", "finish_reason", "model"}}}, written
 * atomically (a killed run leaves no half file); the request is kept so that a person can see what was asked.
 */
final class ResponseCache {

  static final FormatTag TAG = new FormatTag("eef4j-chat-cache", 1, 1);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A kept answer, with the token counts the server reported for it. */
  record Answer(String content, long promptTokens, long completionTokens, String finishReason, String model) {}

  private final Path dir;

  ResponseCache(Path dir) {
    this.dir = dir;
  }

  Optional<Answer> get(ChatRequest request) {
    Path file = file(request.key());
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cached response " + file, e);
    }
    try {
      TAG.check(n);
      JsonNode r = n.get("response");
      if (r == null || !r.path("content").isTextual()) {
        throw new IllegalArgumentException("no response content");
      }
      return Optional.of(new Answer(r.get("content").asText(), r.path("prompt_tokens").asLong(),
          r.path("completion_tokens").asLong(), r.path("finish_reason").asText(""), r.path("model").asText("")));
    } catch (IllegalArgumentException e) {
      throw new FormatException(file, 1, "not a cached chat response: " + e.getMessage(), e);
    }
  }

  void put(ChatRequest request, Answer answer) {
    ObjectNode n = TAG.toJson();
    n.set("request", request.toJson());
    n.putObject("response")
        .put("content", answer.content())
        .put("prompt_tokens", answer.promptTokens())
        .put("completion_tokens", answer.completionTokens())
        .put("finish_reason", answer.finishReason())
        .put("model", answer.model());
    Path file = file(request.key());
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file.getParent(), e);
    }
    AtomicFiles.write(file, out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, n));
  }

  private Path file(String key) {
    return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
  }
}
