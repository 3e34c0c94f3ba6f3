package org.eef4j.remote.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.student.tokens.ChatTokens;

/**
 * Before the first rollout: does each server read eef4j's prompts as eef4j means them? For a few conversations,
 *
 * <ol>
 *   <li>eef4j's incremental prompt ids must equal its rendered text tokenized whole, and grow by appending
 *       ({@link ChatTokens#prefixMismatch});
 *   <li>the server's {@code /tokenize} of the rendered text ({@code prompt}, no special tokens added) must equal
 *       eef4j's tokenization: the same tokenizer;
 *   <li>where the server also tokenizes chat messages with its own template ({@code messages},
 *       {@code add_generation_prompt}), that must equal eef4j's prompt too: the same chat template.
 * </ol>
 *
 * <p>Any difference refuses the run, naming the conversation, the position and both tokens. A server without {@code
 * /tokenize} (404) is noted and skipped: the first two checks still ran.
 */
public final class TokenizationCheck {

  private TokenizationCheck() {}

  /**
   * Runs the checks.
   *
   * @return notes on what could not be checked (a server without /tokenize or without chat tokenization)
   * @throws ServerMismatchException naming the first differing token
   */
  public static List<String> run(ServerClient client, ChatTokens tokens, List<List<ChatMessage>> conversations) {
    List<String> notes = new ArrayList<>();
    for (int c = 0; c < conversations.size(); c++) {
      List<ChatMessage> conv = conversations.get(c);
      int[] ours = tokens.prompt(conv);
      int[] whole = tokens.tokenizeWhole(conv, true);
      compare("eef4j's turn-by-turn prompt", ours, "the whole rendered text tokenized", whole, c, tokens);
      String prefix = tokens.prefixMismatch(conv);
      if (prefix != null) {
        throw new ServerMismatchException("conversation " + c + ": " + prefix);
      }
    }
    for (URI endpoint : client.endpoints()) {
      String path = null;
      for (int c = 0; c < conversations.size(); c++) {
        List<ChatMessage> conv = conversations.get(c);
        ObjectNode text = JsonNodeFactory.instance.objectNode().put("model", client.options().model())
            .put("prompt", tokens.renderText(conv, true)).put("add_special_tokens", false);
        ServerClient.Answer answer = null;
        for (String p : path == null ? List.of("/tokenize", "/v1/tokenize") : List.of(path)) {
          answer = send(client, endpoint, p, text);
          if (answer.status() != 404 && answer.status() != 405) {
            path = p;
            break;
          }
        }
        if (path == null) {
          notes.add(endpoint + " has no /tokenize: its tokenizer was not compared with eef4j's");
          break;
        }
        int[] theirs = ids(endpoint, path, answer);
        compare(endpoint + path + " (text)", theirs, "eef4j", tokens.tokenizeWhole(conv, true), c, tokens);
        ObjectNode chat = JsonNodeFactory.instance.objectNode().put("model", client.options().model());
        ArrayNode messages = chat.putArray("messages");
        for (ChatMessage m : conv) {
          messages.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.content());
        }
        chat.put("add_generation_prompt", true).put("add_special_tokens", false);
        int[] templated;
        try {
          templated = tokenize(client, endpoint, path, chat);
        } catch (BadResponseException | IllegalStateException e) {
          notes.add(endpoint + path + " does not tokenize chat messages (" + e.getMessage() + "): its chat template was"
              + " not compared with eef4j's");
          continue;
        }
        compare(endpoint + path + " (its chat template)", templated, "eef4j's prompt", tokens.prompt(conv), c, tokens);
      }
    }
    return notes;
  }

  private static ServerClient.Answer send(ServerClient client, URI endpoint, String path, ObjectNode body) {
    try {
      return client.exchange(endpoint, "POST", path, body.toString());
    } catch (IOException e) {
      throw new IllegalStateException(endpoint + path + " cannot be reached: " + e.getMessage(), e);
    }
  }

  private static int[] tokenize(ServerClient client, URI endpoint, String path, ObjectNode body) {
    return ids(endpoint, path, send(client, endpoint, path, body));
  }

  private static int[] ids(URI endpoint, String path, ServerClient.Answer a) {
    if (!a.ok()) {
      throw new IllegalStateException(endpoint + path + " answered " + a.status() + ": "
          + ServerClient.excerpt(a.body()));
    }
    JsonNode r = ServerClient.parseJson(a.body());
    return Dialect.readIds(Dialect.field(r, "tokens", "the /tokenize answer"), "tokens");
  }

  private static void compare(String whoA, int[] a, String whoB, int[] b, int conversation, ChatTokens tokens) {
    int at = ChatTokens.firstDifference(a, b);
    if (at >= 0) {
      throw new ServerMismatchException("conversation " + conversation + ": " + whoA + " and " + whoB + " differ at"
          + " token " + at + ": " + tokens.describe(a, at) + " against " + tokens.describe(b, at) + " (" + a.length
          + " and " + b.length + " tokens); the run would train on ids the model does not read this way");
    }
  }
}
