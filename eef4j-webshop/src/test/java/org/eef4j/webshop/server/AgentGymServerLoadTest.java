package org.eef4j.webshop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eef4j.webshop.env.ServerFixtures;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The AgentGym server under load and faults, over real HTTP on loopback: hundreds of clients each on its own keep-alive
 * connection, bad requests among good ones, a full session table, oversized bodies. Every wait is bounded (socket read
 * timeouts, future timeouts); nothing leaves 127.0.0.1.
 */
class AgentGymServerLoadTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final int SESSIONS = 500;
  static WebShop shop;

  /** Scripts of (method, path, body) with {@code ENV} for the session's id; bad requests mixed in. */
  static final List<List<String[]>> SCRIPTS = List.of(
      List.of(step("search[issey]"), step("click[b000vohh8i]"), get("/available_actions"), step("click[2.5 fl oz]"),
          new String[] {"POST", "/step", "{not json"}, step("click[buy now]"), step("search[more]")),
      List.of(step("search[bottle]"), step("click[next >]"), new String[] {"GET", "/observation?env_idx=%zz", null},
          step("click[< prev]"), get("/state"), new String[] {"POST", "/step", "{\"env_idx\": -1, \"action\": \"x\"}"},
          step("search[issey]"), get("/observation")),
      List.of(get("/instruction_text"), step("search[eau de toilette]"), new String[] {"GET", "/nowhere", null},
          step("click[b000vohh8i]"), step("click[description]"), step("click[< prev]"),
          new String[] {"GET", "/step", null}, step("click[6.76 fl oz (pack of 1)]"), step("click[buy now]")));

  static String[] step(String action) {
    return new String[] {"POST", "/step", "{\"env_idx\": ENV, \"action\": \"" + action + "\"}"};
  }

  static String[] get(String path) {
    return new String[] {"GET", path + "?env_idx=ENV", null};
  }

  @BeforeAll
  static void load() {
    shop = ServerFixtures.shop();
  }

  @AfterAll
  static void close() {
    shop.close();
  }

  static AgentGymServer start(int capacity) {
    return AgentGymServer.start(shop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        WebShopEnv.Config.UNLIMITED, capacity);
  }

  /** One session's transcript: each answer's status and body, in order, on one connection. */
  static List<String> transcript(RawHttp http, int script, CountDownLatch allConnected) throws Exception {
    RawHttp.Reply created = http.send("POST", "/create", "");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    String env = created.body();
    List<String> seen = new ArrayList<>();
    RawHttp.Reply reset = http.send("POST", "/reset", "{\"env_idx\": " + env + ", \"session_id\": 0}");
    seen.add(reset.status() + " " + reset.body());
    if (allConnected != null) {
      // every connection now sits idle at once, which is when a server that caps idle connections drops some
      allConnected.countDown();
      assertThat(allConnected.await(120, TimeUnit.SECONDS)).isTrue();
    }
    for (String[] request : SCRIPTS.get(script)) {
      String path = request[1].replace("ENV", env);
      String body = request[2] == null ? null : request[2].replace("ENV", env);
      RawHttp.Reply r = http.send(request[0], path, body);
      seen.add(r.status() + " " + r.body());
    }
    RawHttp.Reply closed = http.send("POST", "/close", "{\"env_idx\": " + env + "}");
    seen.add(closed.status() + " " + closed.body());
    return seen;
  }

  @Test
  void fiveHundredConcurrentSessionsEachEqualTheirOneAtATimeTranscript() throws Exception {
    try (AgentGymServer server = start(AgentGymServer.DEFAULT_CAPACITY)) {
      List<List<String>> alone = new ArrayList<>();
      for (int s = 0; s < SCRIPTS.size(); s++) {
        try (RawHttp http = new RawHttp(server.port())) {
          alone.add(transcript(http, s, null));
        }
      }
      assertThat(alone.get(0)).anyMatch(line -> line.startsWith("400 ")).anyMatch(line -> line.startsWith("409 "));
      assertThat(alone.get(1)).anyMatch(line -> line.startsWith("404 "));

      CountDownLatch allConnected = new CountDownLatch(SESSIONS);
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<List<String>>> runs = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
          int script = i % SCRIPTS.size();
          runs.add(clients.submit(() -> {
            try (RawHttp http = new RawHttp(server.port())) {
              return transcript(http, script, allConnected);
            } finally {
              allConnected.countDown(); // a failed client must not keep the others waiting
            }
          }));
        }
        for (int i = 0; i < SESSIONS; i++) {
          assertThat(runs.get(i).get(180, TimeUnit.SECONDS)).as("session %d", i).isEqualTo(alone.get(i % SCRIPTS.size()));
        }
      }
    }
  }

  @Test
  void malformedRequestsAnswerInJson() throws Exception {
    try (AgentGymServer server = start(10)) {
      List<String> raw = List.of(
          "GET /observation?env_idx=%zz HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n",
          "BREW /\r\n\r\n",
          "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(64 * 1024) + "\r\n\r\n");
      for (String request : raw) {
        try (RawHttp http = new RawHttp(server.port())) {
          RawHttp.Reply r = http.sendRaw(request);
          assertThat(r.status()).as(request.lines().findFirst().orElseThrow()).isBetween(400, 505);
          assertThat(r.headers().get("content-type")).startsWith("application/json");
          assertThat(JSON.readTree(r.body()).get("detail").textValue()).isNotBlank();
        }
      }
    }
  }

  @Test
  void anOversizedBodyIsAnswered413AndTheConnectionStaysUsable() throws Exception {
    try (AgentGymServer server = start(10); RawHttp http = new RawHttp(server.port())) {
      byte[] big = new byte[10 << 20];
      Arrays.fill(big, (byte) 'x');
      RawHttp.Reply r = http.send("POST", "/step", big);
      assertThat(r.status()).isEqualTo(413);
      assertThat(JSON.readTree(r.body()).get("detail").textValue()).contains("over " + AgentGymServer.MAX_BODY_BYTES);
      assertThat(r.closes()).isFalse();
      RawHttp.Reply next = http.send("GET", "/", (String) null);
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.body()).isEqualTo("\"ok\"");
    }
  }

  @Test
  void aFullTableAnswers503AndHandsOutNoExistingSession() throws Exception {
    try (AgentGymServer server = start(3); RawHttp http = new RawHttp(server.port())) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(http.send("POST", "/create", "").body());
      }
      http.send("POST", "/step", "{\"env_idx\": " + ids.get(0) + ", \"action\": \"search[issey]\"}");
      String page = http.send("GET", "/observation?env_idx=" + ids.get(0), (String) null).body();
      RawHttp.Reply full = http.send("POST", "/create", "");
      assertThat(full.status()).as(full.body()).isEqualTo(503);
      assertThat(JSON.readTree(full.body()).get("detail").textValue()).contains("3 sessions");
      assertThat(http.send("GET", "/list_envs", (String) null).body()).isEqualTo("[" + ids.get(1) + "," + ids.get(2)
          + "," + ids.get(0) + "]");
      assertThat(http.send("GET", "/observation?env_idx=" + ids.get(0), (String) null).body()).isEqualTo(page);
      http.send("POST", "/close", "{\"env_idx\": " + ids.get(1) + "}");
      RawHttp.Reply freed = http.send("POST", "/create", "");
      assertThat(freed.status()).isEqualTo(200);
      assertThat(freed.body()).isNotIn(ids);
    }
  }

  @Test
  void theSessionIdleLongestGivesWayAndItsOwnerIsTold410() throws Exception {
    AtomicLong clock = new AtomicLong();
    try (AgentGymServer server = AgentGymServer.start(shop, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        WebShopEnv.Config.UNLIMITED, 2, Duration.ofSeconds(60), clock::get);
        RawHttp http = new RawHttp(server.port())) {
      String a = http.send("POST", "/create", "").body();
      clock.addAndGet(Duration.ofSeconds(30).toNanos());
      String b = http.send("POST", "/create", "").body();
      clock.addAndGet(Duration.ofSeconds(40).toNanos());
      http.send("POST", "/step", "{\"env_idx\": " + a + ", \"action\": \"search[issey]\"}"); // a is used again: b idles longest
      assertThat(http.send("POST", "/create", "").status()).isEqualTo(503); // b idle 40 s < 60 s
      clock.addAndGet(Duration.ofSeconds(30).toNanos());
      RawHttp.Reply c = http.send("POST", "/create", "");
      assertThat(c.status()).isEqualTo(200);
      assertThat(c.body()).isNotIn(a, b);
      RawHttp.Reply gone = http.send("GET", "/observation?env_idx=" + b, (String) null);
      assertThat(gone.status()).isEqualTo(410);
      assertThat(JSON.readTree(gone.body()).get("detail").textValue()).contains("environment " + b, "POST /create");
      assertThat(http.send("GET", "/observation?env_idx=" + a, (String) null).body()).contains("Total results");
    }
  }

  @Test
  void memoryStaysBoundedUnderOversizedBodiesAndSessionChurn() throws Exception {
    try (AgentGymServer server = start(50); RawHttp http = new RawHttp(server.port())) {
      byte[] big = new byte[10 << 20];
      long before = usedHeapAfterGc();
      for (int i = 0; i < 20; i++) { // 200 MB of bodies
        assertThat(http.send("POST", "/reset", big).status()).isEqualTo(413);
      }
      for (int i = 0; i < 2000; i++) { // 40 tables' worth of sessions, each closed
        String id = http.send("POST", "/create", "").body();
        assertThat(http.send("POST", "/close", "{\"env_idx\": " + id + "}").body()).isEqualTo("{\"closed\":true}");
      }
      long grown = usedHeapAfterGc() - before;
      assertThat(grown).as("heap grown by %d bytes", grown).isLessThan(48L << 20);
    }
  }

  static long usedHeapAfterGc() {
    System.gc();
    return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
  }

  /**
   * Figures of a 500-session run (opt-in: {@code -Deef4j.bench=true}): requests per second, latency percentiles and
   * the peak heap of this JVM, which holds the server and its 500 clients.
   */
  @Test
  @EnabledIfSystemProperty(named = "eef4j.bench", matches = "true")
  void bench500Sessions() throws Exception {
    int rounds = Integer.getInteger("eef4j.bench.rounds", 3);
    try (AgentGymServer server = start(AgentGymServer.DEFAULT_CAPACITY)) {
      List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).toList();
      System.gc();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
      long t0 = System.nanoTime();
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
          int script = i % SCRIPTS.size();
          runs.add(clients.submit(() -> {
            try (RawHttp http = new RawHttp(server.port())) {
              for (int r = 0; r < rounds; r++) {
                long s = System.nanoTime();
                String env = http.send("POST", "/create", "").body();
                latencies.add(System.nanoTime() - s);
                for (String[] request : SCRIPTS.get(script)) {
                  s = System.nanoTime();
                  http.send(request[0], request[1].replace("ENV", env),
                      request[2] == null ? null : request[2].replace("ENV", env));
                  latencies.add(System.nanoTime() - s);
                }
                s = System.nanoTime();
                http.send("POST", "/close", "{\"env_idx\": " + env + "}");
                latencies.add(System.nanoTime() - s);
              }
            }
            return null;
          }));
        }
        for (Future<?> run : runs) {
          run.get(600, TimeUnit.SECONDS);
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      System.out.printf(Locale.ROOT, "AgentGym server, %d concurrent sessions x %d rounds: %d requests in %.2f s = %.0f "
              + "requests/s (create, script with its bad requests, close); latency p50 %.2f ms, p99 %.2f ms; peak heap (server and clients, "
              + "one JVM) %d MB%n", SESSIONS, rounds, sorted.length, seconds, sorted.length / seconds,
          sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, peak >> 20);
    }
  }
}
