package org.eef4j.sciworld.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eef4j.http.RawHttp;
import org.eef4j.sciworld.Shared;
import org.eef4j.sciworld.sim.SimulatorPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SciWorld AgentGym server under faults, over real HTTP on loopback with hand-written keep-alive connections: idle
 * connections past the JDK server's 200, a full session table, an evicted session's owner, malformed requests and an
 * oversized body. Every loop is bounded in count and every read by a socket timeout; nothing leaves 127.0.0.1.
 */
class SciWorldServerLoadTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static SimulatorPool pool;

  @BeforeAll
  static void pool() {
    pool = new SimulatorPool(Shared.jar("1.3.0"));
  }

  @AfterAll
  static void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  private static SciWorldServer start(int capacity, Duration evictAfter, LongSupplier clock) {
    return SciWorldServer.start(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "", capacity,
        evictAfter, clock);
  }

  private static String error(RawHttp.Reply reply) throws IOException {
    assertThat(reply.headers().get("content-type")).startsWith("application/json");
    JsonNode error = JSON.readTree(reply.body()).get("error");
    assertThat(error).as(reply.body()).isNotNull();
    return error.textValue();
  }

  private static int create(RawHttp http) throws IOException {
    RawHttp.Reply r = http.send("POST", "/create", "");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("id").intValue();
  }

  @Test
  void idleKeepAliveConnectionsPastTwoHundredAreAllKept() throws Exception {
    int connections = 300;
    List<RawHttp> open = new ArrayList<>();
    try (SciWorldServer server = start(4, null, System::nanoTime)) {
      for (int i = 0; i < connections; i++) {
        RawHttp http = new RawHttp(server.port());
        open.add(http);
        assertThat(http.send("GET", "/", (String) null).status()).isEqualTo(200);
      }
      // every connection has sat idle at once; each is reused
      for (int i = 0; i < connections; i++) {
        RawHttp.Reply r = open.get(i).send("GET", "/", (String) null);
        assertThat(r.status()).as("connection %d", i).isEqualTo(200);
        assertThat(r.body()).isEqualTo("\"This is environment ScienceWorld.\"");
      }
    } finally {
      for (RawHttp http : open) {
        http.close();
      }
    }
  }

  @Test
  void aFullTableAnswers503AndHandsOutNoOpenEnvironment() throws Exception {
    try (SciWorldServer server = start(2, null, System::nanoTime); RawHttp http = new RawHttp(server.port())) {
      int a = create(http);
      int b = create(http);
      assertThat(http.send("POST", "/reset", "{\"id\": " + a + ", \"data_idx\": 0}").status()).isEqualTo(200);
      http.send("POST", "/step", "{\"id\": " + a + ", \"action\": \"look around\"}");
      String page = http.send("GET", "/observation?id=" + a, (String) null).body();

      RawHttp.Reply full = http.send("POST", "/create", "");
      assertThat(full.status()).as(full.body()).isEqualTo(503);
      assertThat(error(full)).contains("2 sessions", "POST /close");
      assertThat(http.send("GET", "/observation?id=" + a, (String) null).body()).isEqualTo(page);

      assertThat(http.send("POST", "/close", "{\"id\": " + b + "}").body()).isEqualTo("true");
      int c = create(http);
      assertThat(c).isNotIn(a, b);
      assertThat(http.send("GET", "/observation?id=" + a, (String) null).body()).isEqualTo(page);
      RawHttp.Reply closed = http.send("GET", "/observation?id=" + b, (String) null);
      assertThat(closed.status()).isEqualTo(409);
      assertThat(error(closed)).contains("deleted");
    }
  }

  @Test
  void theEnvironmentIdleLongestGivesWayAndItsOwnerIsTold410() throws Exception {
    AtomicLong clock = new AtomicLong();
    try (SciWorldServer server = start(2, Duration.ofSeconds(60), clock::get);
        RawHttp http = new RawHttp(server.port())) {
      int a = create(http);
      clock.addAndGet(Duration.ofSeconds(30).toNanos());
      int b = create(http);
      clock.addAndGet(Duration.ofSeconds(40).toNanos());
      // a is used again, so b has idled longest, but only 40 s of the 60 s
      assertThat(http.send("POST", "/reset", "{\"id\": " + a + ", \"data_idx\": 0}").status()).isEqualTo(200);
      RawHttp.Reply refused = http.send("POST", "/create", "");
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      clock.addAndGet(Duration.ofSeconds(30).toNanos());

      int c = create(http);
      assertThat(c).isNotIn(a, b);
      RawHttp.Reply gone = http.send("POST", "/reset", "{\"id\": " + b + ", \"data_idx\": 0}");
      assertThat(gone.status()).as(gone.body()).isEqualTo(410);
      assertThat(error(gone)).contains("environment " + b, "POST /create");
      RawHttp.Reply kept = http.send("GET", "/observation?id=" + a, (String) null);
      assertThat(kept.status()).isEqualTo(200);
      assertThat(JSON.readTree(kept.body()).textValue()).startsWith("This room is called");
      assertThat(http.send("POST", "/reset", "{\"id\": " + c + ", \"data_idx\": 1}").status()).isEqualTo(200);
    }
  }

  @Test
  void malformedRequestsAnswerInJson() throws Exception {
    try (SciWorldServer server = start(2, null, System::nanoTime)) {
      for (String request : RawHttp.malformedRequests("id")) {
        try (RawHttp http = new RawHttp(server.port())) {
          RawHttp.Reply r = http.sendRaw(request);
          assertThat(r.status()).as(request.lines().findFirst().orElseThrow()).isBetween(400, 505);
          assertThat(error(r)).isNotBlank();
        }
      }
    }
  }

  @Test
  void anOversizedBodyIsAnswered413AndTheConnectionStaysUsable() throws Exception {
    try (SciWorldServer server = start(2, null, System::nanoTime); RawHttp http = new RawHttp(server.port())) {
      byte[] big = new byte[10 << 20];
      Arrays.fill(big, (byte) 'x');
      for (String path : List.of("/step", "/reset")) {
        RawHttp.Reply r = http.send("POST", path, big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(error(r)).contains("over " + SciWorldServer.MAX_BODY_BYTES);
        assertThat(r.closes()).isFalse();
      }
      RawHttp.Reply next = http.send("GET", "/", (String) null);
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.body()).isEqualTo("\"This is environment ScienceWorld.\"");
    }
  }
}
