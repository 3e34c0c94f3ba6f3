package org.eef4j.sciworld.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eef4j.sciworld.Shared;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.eef4j.sciworld.sim.SimulatorPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AgentGym's SciWorld protocol over real HTTP on loopback. */
class SciWorldServerTest {

  private static SimulatorPool pool;
  private static SciWorldServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() {
    pool = new SimulatorPool(Shared.jar("1.3.0"));
    server = SciWorldServer.start(pool, new InetSocketAddress("127.0.0.1", 0), "", 4);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (pool != null) {
      pool.close();
    }
  }

  private record Answer(int status, JsonNode body) {}

  private static Answer post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static Answer get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static Answer send(HttpRequest request) throws Exception {
    HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  @Test
  void aClientCreatesResetsStepsAndCloses() throws Exception {
    assertThat(get("/").body().asText()).isEqualTo("This is environment ScienceWorld.");
    Answer created = post("/create", "");
    assertThat(created.status()).isEqualTo(200);
    int id = created.body().get("id").asInt();

    // data_idx walks ScienceWorld's task order: boil's variations first, then melt's.
    int meltStart = (int) server.games().stream().filter(g -> g.taskName().equals("boil")).count();
    assertThat(server.games().get(meltStart)).isEqualTo(new SciWorldTasks.Game("melt", 0));
    Answer reset = post("/reset", "{\"id\": " + id + ", \"data_idx\": " + (meltStart + 1) + "}");
    assertThat(reset.status()).isEqualTo(200);
    JsonNode r = reset.body();
    assertThat(r.get("task_name").asText()).isEqualTo("melt");
    assertThat(r.get("var_num").asInt()).isEqualTo(1);
    assertThat(r.get("task_description").asText()).startsWith("Your task is to melt");
    assertThat(r.get("observation").asText()).startsWith("This room is called");
    assertThat(r.get("score").isInt()).isTrue();
    assertThat(r.get("reward").asInt()).isEqualTo(r.get("score").asInt());
    assertThat(r.get("deleted").asBoolean()).isFalse();
    assertThat(r.get("done").asBoolean()).isFalse();

    Answer step = post("/step", "{\"id\": " + id + ", \"action\": \"open door to kitchen\"}");
    assertThat(step.status()).isEqualTo(200);
    assertThat(step.body().fieldNames()).toIterable().containsExactlyInAnyOrder("observation", "reward", "score", "done");
    assertThat(get("/observation?id=" + id).body().asText()).isEqualTo(step.body().get("observation").asText());
    JsonNode hint = get("/action_hint?id=" + id).body();
    assertThat(hint.get("possible_actions").isArray()).isTrue();
    assertThat(hint.get("possible_objects").isArray()).isTrue();
    assertThat(get("/task_description?id=" + id).body().get("task_description").asText())
        .isEqualTo(r.get("task_description").asText());
    assertThat(get("/detail?id=" + id).body().get("task_name").asText()).isEqualTo("melt");

    assertThat(post("/close", "{\"id\": " + id + "}").body().asBoolean()).isTrue();
    Answer again = post("/close", "{\"id\": " + id + "}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("error").asText()).contains("deleted");
    assertThat(post("/step", "{\"id\": " + id + ", \"action\": \"look around\"}").status()).isEqualTo(409);
  }

  @Test
  void badRequestsAreAnswered4xxWithAnError() throws Exception {
    int id = post("/create", "").body().get("id").asInt();
    expectError(post("/reset", "{\"id\": 123456, \"data_idx\": 0}"), 404, "not valid");
    expectError(post("/reset", "{\"id\": " + id + "}"), 400, "data_idx");
    expectError(post("/reset", "{\"id\": " + id + ", \"data_idx\": 999999}"), 400, "outside");
    expectError(post("/reset", "{\"id\": " + id + ", \"data_idx\": -1}"), 400, "outside");
    expectError(post("/reset", "not json"), 400, "not JSON");
    expectError(post("/step", "{\"id\": " + id + ", \"action\": 5}"), 400, "action");
    expectError(post("/step", "{\"id\": " + id + ", \"action\": \"look around\"}"), 409, "reset");
    expectError(get("/observation"), 400, "id");
    expectError(get("/observation?id=abc"), 400, "abc");
    expectError(get("/step"), 405, "POST");
    expectError(get("/nowhere"), 404, "/nowhere");
    assertThat(post("/close", "{\"id\": " + id + "}").status()).isEqualTo(200);
  }

  private static void expectError(Answer a, int status, String mentioning) {
    assertThat(a.status()).isEqualTo(status);
    assertThat(a.body().get("error").asText()).contains(mentioning);
  }
}
