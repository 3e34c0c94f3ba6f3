package org.eef4j.webshop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eef4j.webshop.env.ServerFixtures;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AgentGym's WebShop protocol over real HTTP on 127.0.0.1, with an ephemeral port. */
class AgentGymServerTest {

  static WebShop shop;
  static AgentGymServer server;
  static HttpClient client;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    shop = ServerFixtures.shop();
    server = AgentGymServer.start(shop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    client = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    server.close();
    shop.close();
  }

  record Reply(int status, JsonNode body) {}

  static Reply send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), JSON.readTree(response.body()));
  }

  static int create() throws Exception {
    Reply r = send("POST", "/create", null);
    assertThat(r.status()).isEqualTo(200);
    return r.body().intValue();
  }

  static JsonNode step(int env, String action) throws Exception {
    Reply r = send("POST", "/step", JSON.createObjectNode().put("env_idx", env).put("action", action).toString());
    assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
    return r.body();
  }

  @Test
  void aWholeEpisode() throws Exception {
    assertThat(send("GET", "/", null).body().textValue()).isEqualTo("ok");
    int env = create();
    assertThat(env).isBetween(0, EnvTable.MAX_ID);
    assertThat(send("GET", "/list_envs", null).body()).extracting(JsonNode::intValue).contains(env);

    Reply reset = send("POST", "/reset", "{\"env_idx\": " + env + ", \"session_id\": 0}");
    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.body().get(0).textValue()).isEqualTo(
        "WebShop [SEP] Instruction: [SEP] " + ServerFixtures.INSTRUCTION + " [SEP] Search");
    assertThat(reset.body().get(1).isNull()).isTrue();
    assertThat(send("GET", "/observation?env_idx=" + env, null).body().textValue())
        .isEqualTo(reset.body().get(0).textValue());
    assertThat(send("GET", "/instruction_text?env_idx=" + env, null).body().textValue())
        .isEqualTo("Instruction: " + ServerFixtures.INSTRUCTION);
    assertThat(send("GET", "/available_actions?env_idx=" + env, null).body().toString())
        .isEqualTo("{\"has_search_bar\":true,\"clickables\":[\"search\"]}");

    JsonNode results = step(env, "search[issey]");
    assertThat(results.get("state").textValue()).contains("Page 1 (Total results:");
    assertThat(results.get("reward").doubleValue()).isZero();
    assertThat(results.get("done").booleanValue()).isFalse();
    assertThat(results.get("info").isNull()).isTrue();
    step(env, "click[b000vohh8i]");
    JsonNode actions = send("GET", "/available_actions?env_idx=" + env, null).body();
    assertThat(actions.get("has_search_bar").booleanValue()).isFalse();
    assertThat(actions.get("clickables")).extracting(JsonNode::textValue).contains("buy now", "2.5 fl oz");
    JsonNode state = send("GET", "/state?env_idx=" + env, null).body();
    assertThat(state.get("url").textValue()).isEqualTo("http://127.0.0.1:3000/item_page/0/B000VOHH8I/issey/1/{}");
    assertThat(state.get("instruction_text").textValue()).isEqualTo(ServerFixtures.INSTRUCTION);
    step(env, "click[6.76 fl oz (pack of 1)]");
    JsonNode bought = step(env, "click[buy now]");
    assertThat(bought.get("done").booleanValue()).isTrue();
    assertThat(bought.get("reward").doubleValue()).isPositive();
    assertThat(bought.get("state").textValue()).startsWith("Thank you for shopping with us!");

    Reply after = send("POST", "/step", "{\"env_idx\": " + env + ", \"action\": \"search[more]\"}");
    assertThat(after.status()).isEqualTo(409);
    assertThat(after.body().get("detail").textValue()).contains("has ended");
  }

  @Test
  void badRequestsGetClearErrorsAndDisturbNoSession() throws Exception {
    int env = create();
    send("POST", "/reset", "{\"env_idx\": " + env + ", \"session_id\": 0}");
    step(env, "search[issey]");
    String before = send("GET", "/observation?env_idx=" + env, null).body().textValue();

    List<Reply> errors = List.of(
        send("POST", "/step", "{\"env_idx\": 7, \"action\": \"search[x]\"}".replace("7", String.valueOf(unused()))),
        send("POST", "/step", "{not json"),
        send("POST", "/step", "{\"env_idx\": " + env + "}"),
        send("POST", "/step", "{\"env_idx\": \"abc\", \"action\": \"search[x]\"}"),
        send("POST", "/step", "[1, 2]"),
        send("GET", "/step", null),
        send("GET", "/observation", null),
        send("GET", "/observation?env_idx=x", null),
        send("POST", "/reset", "{\"env_idx\": " + env + ", \"session_id\": 99}"),
        send("GET", "/nowhere", null),
        send("POST", "/step", "{\"env_idx\": " + env + ", \"action\": \"" + "x".repeat(AgentGymServer.MAX_BODY_BYTES)
            + "\"}"));
    assertThat(errors).extracting(Reply::status).containsExactly(404, 400, 400, 400, 400, 405, 400, 400, 400, 404, 413);
    assertThat(errors).allSatisfy(r -> assertThat(r.body().get("detail").textValue()).isNotBlank());
    assertThat(errors.get(0).body().get("detail").textValue()).contains("no environment with env_idx");
    assertThat(errors.get(8).body().get("detail").textValue()).contains("goal index 99");

    assertThat(send("GET", "/observation?env_idx=" + env, null).body().textValue()).isEqualTo(before);
    assertThat(step(env, "click[b000vohh8i]").get("state").textValue()).contains("Buy Now");
  }

  private static int unused() throws Exception {
    List<Integer> ids = new ArrayList<>();
    send("GET", "/list_envs", null).body().forEach(n -> ids.add(n.intValue()));
    int id = 1;
    while (ids.contains(id)) {
      id++;
    }
    return id;
  }

  @Test
  void concurrentSessionsAreIndependent() throws Exception {
    List<String> script = List.of("search[bottle]", "click[next >]", "click[< prev]", "search[issey]",
        "click[b000vohh8i]", "click[2.5 fl oz]", "click[description]", "click[< prev]", "click[buy now]");
    WebShopEnv local = shop.newSession(WebShopEnv.Config.UNLIMITED);
    local.reset(0);
    List<String> expected = new ArrayList<>();
    for (String a : script) {
      expected.add(local.step(a).observation());
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Callable<List<String>> run = () -> {
          int env = create();
          send("POST", "/reset", "{\"env_idx\": " + env + ", \"session_id\": 0}");
          List<String> seen = new ArrayList<>();
          for (String a : script) {
            seen.add(step(env, a).get("state").textValue());
          }
          return seen;
        };
        runs.add(pool.submit(run));
      }
      for (Future<List<String>> run : runs) {
        assertThat(run.get()).isEqualTo(expected);
      }
    }
  }
}
