package org.eef4j.sciworld.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.eef4j.sciworld.sim.Simulator;
import org.eef4j.sciworld.sim.SimulatorException;
import org.eef4j.sciworld.sim.SimulatorPool;

/**
 * ScienceWorld served over AgentGym's environment-server protocol (AG: agentenv-sciworld, server.py and
 * environment.py), so that AgentGym's Python SciWorld client drives it unchanged.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>GET /</td><td>{@code "This is environment ScienceWorld."}</td></tr>
 *   <tr><td>POST /create</td><td>{@code {"id"}}: a new environment, ids 0, 1, 2, ...</td></tr>
 *   <tr><td>POST /reset {@code {"id", "data_idx"}}</td><td>loads the data_idx-th game in AgentGym's order
 *       ({@link SciWorldTasks#agentGymGames}) with AgentGym's simplifications (none), takes "look around", and answers
 *       {@code {"task_name", "var_num", "task_description", "observation", "reward", "score", "deleted", "done"}}</td></tr>
 *   <tr><td>POST /step {@code {"id", "action"}}</td><td>{@code {"observation", "reward", "score", "done"}}</td></tr>
 *   <tr><td>GET /observation?id=</td><td>the last observation</td></tr>
 *   <tr><td>GET /action_hint?id=</td><td>{@code {"possible_actions", "possible_objects"}}</td></tr>
 *   <tr><td>GET /task_description?id=</td><td>{@code {"task_description"}}</td></tr>
 *   <tr><td>GET /goals?id=</td><td>{@code {"goals"}}: the simulator's goal progress</td></tr>
 *   <tr><td>GET /detail?id=</td><td>the last reset's and step's fields together</td></tr>
 *   <tr><td>POST /close {@code {"id"}}</td><td>{@code true}</td></tr>
 * </table>
 *
 * <p>Scores are ScienceWorld's Python ones: {@code score} is the raw score ×100 rounded (negative when the task
 * failed), {@code reward} the change of score since the last step, and {@code done} is set when the task is complete,
 * when the score goes negative, or past 100 moves (ScienceWorld's default step limit, which AgentGym keeps).
 *
 * <p>Where the original answers an error with {@code {"error": "..."}} and status 200, this server answers with the
 * same JSON and a 4xx status: 400 for a malformed request or a data_idx out of range, 404 for an unknown id or route,
 * 405 for a wrong method, 409 for a step on a finished or closed environment, 413 for a body over 1 MB, 429 when
 * {@code capacity} environments are open. Each environment has a simulator of its own; requests run on virtual
 * threads, and each environment is locked while a request uses it.
 */
public final class SciWorldServer implements AutoCloseable {

  /** ScienceWorld's Python default step limit, which AgentGym's server keeps. */
  public static final int MOVE_LIMIT = 100;
  static final int MAX_BODY_BYTES = 1 << 20;
  private static final Logger LOG = Logger.getLogger(SciWorldServer.class.getName());

  private final SimulatorPool pool;
  private final List<SciWorldTasks.Game> games;
  private final String simplifications;
  private final int capacity;
  private final HttpServer http;
  private final ExecutorService executor;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger nextId = new AtomicInteger();

  /** One environment: its simulator and what the original keeps in its {@code info} dict. */
  private static final class Session {
    final Simulator simulator;
    final ObjectNode info;
    boolean deleted;
    boolean done;
    int lastScore;

    Session(Simulator simulator, ObjectNode info) {
      this.simulator = simulator;
      this.info = info;
    }
  }

  private SciWorldServer(SimulatorPool pool, List<SciWorldTasks.Game> games, String simplifications, int capacity,
      HttpServer http, ExecutorService executor) {
    this.pool = pool;
    this.games = games;
    this.simplifications = simplifications;
    this.capacity = capacity;
    this.http = http;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code address} (port 0 picks a free one). The pool stays the caller's to close.
   *
   * @param simplifications what every reset loads with: "" as AgentGym does, or e.g. "easy" as ETO does
   * @param capacity the most environments open at once (each holds a simulator: about 20 MB)
   */
  public static SciWorldServer start(SimulatorPool pool, InetSocketAddress address, String simplifications,
      int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    Simulator first = pool.acquire();
    List<SciWorldTasks.Game> games;
    try {
      games = SciWorldTasks.agentGymGames(first::maxVariations);
    } finally {
      pool.release(first);
    }
    try {
      HttpServer http = HttpServer.create(address, 0);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      SciWorldServer server = new SciWorldServer(pool, games, simplifications, capacity, http, executor);
      http.createContext("/", server::handle);
      http.setExecutor(executor);
      http.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** The games in data_idx order. */
  public List<SciWorldTasks.Game> games() {
    return games;
  }

  /** A request the client got wrong: answered with {@code status} and {@code {"error": message}}. */
  private static final class BadRequest extends RuntimeException {
    final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      Object body;
      int status = 200;
      try {
        body = route(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange);
      } catch (BadRequest e) {
        status = e.status;
        body = error(e.getMessage());
      } catch (SimulatorException e) {
        LOG.log(Level.WARNING, "simulator failed: " + exchange.getRequestURI(), e);
        status = 500;
        body = error(e.getMessage());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "request failed: " + exchange.getRequestURI(), e);
        status = 500;
        body = error("internal error: " + e);
      }
      byte[] bytes = json.writeValueAsBytes(body);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "client went away: " + exchange.getRequestURI(), e);
    }
  }

  private ObjectNode error(String message) {
    return json.createObjectNode().put("error", message);
  }

  private Object route(String method, String path, HttpExchange exchange) throws IOException {
    return switch (path) {
      case "/" -> {
        expect(method, "GET", path);
        yield "This is environment ScienceWorld.";
      }
      case "/create" -> {
        expect(method, "POST", path);
        yield create();
      }
      case "/reset" -> {
        expect(method, "POST", path);
        JsonNode request = body(exchange);
        int id = intField(request, "id");
        int dataIdx = intField(request, "data_idx");
        yield withSession(id, true, s -> reset(s, dataIdx));
      }
      case "/step" -> {
        expect(method, "POST", path);
        JsonNode request = body(exchange);
        int id = intField(request, "id");
        String action = textField(request, "action");
        yield withSession(id, false, s -> step(s, action));
      }
      case "/observation" -> {
        expect(method, "GET", path);
        yield withSession(queryId(exchange), false, s -> s.info.path("observation").asText(""));
      }
      case "/action_hint" -> {
        expect(method, "GET", path);
        yield withSession(queryId(exchange), false, s -> {
          ObjectNode out = json.createObjectNode();
          s.simulator.possibleActions().forEach(out.putArray("possible_actions")::add);
          s.simulator.possibleObjects().forEach(out.putArray("possible_objects")::add);
          return out;
        });
      }
      case "/task_description" -> {
        expect(method, "GET", path);
        yield withSession(queryId(exchange), false,
            s -> json.createObjectNode().put("task_description", s.simulator.taskDescription()));
      }
      case "/goals" -> {
        expect(method, "GET", path);
        yield withSession(queryId(exchange), false,
            s -> json.createObjectNode().put("goals", s.simulator.goalProgress()));
      }
      case "/detail" -> {
        expect(method, "GET", path);
        yield withSession(queryId(exchange), false, s -> s.info.deepCopy());
      }
      case "/close" -> {
        expect(method, "POST", path);
        yield close(intField(body(exchange), "id"));
      }
      default -> throw new BadRequest(404, "no route " + path);
    };
  }

  private ObjectNode create() {
    if (sessions.values().stream().filter(s -> !s.deleted).count() >= capacity) {
      throw new BadRequest(429, capacity + " environments are open, the server's capacity: close some first");
    }
    Simulator simulator = pool.acquire();
    int id = nextId.getAndIncrement();
    sessions.put(id, new Session(simulator, json.createObjectNode().put("deleted", false).put("done", false)));
    return json.createObjectNode().put("id", id);
  }

  private ObjectNode reset(Session s, int dataIdx) {
    if (dataIdx < 0 || dataIdx >= games.size()) {
      throw new BadRequest(400, "data_idx " + dataIdx + " is outside 0.." + (games.size() - 1));
    }
    SciWorldTasks.Game game = games.get(dataIdx);
    String error = s.simulator.load(game.taskName(), game.variation(), simplifications, false);
    if (!error.isEmpty()) {
      throw new SimulatorException("loading " + game + " failed: " + error.strip(), null);
    }
    s.lastScore = 0;
    s.done = false;
    String description = s.simulator.taskDescription();
    ObjectNode stepped = step(s, "look around");
    ObjectNode out = json.createObjectNode();
    out.put("task_name", game.taskName());
    out.put("var_num", game.variation());
    out.put("task_description", description);
    out.set("observation", stepped.get("observation"));
    out.set("reward", stepped.get("reward"));
    out.set("score", stepped.get("score"));
    out.put("deleted", false);
    out.set("done", stepped.get("done"));
    s.info.setAll(out);
    return out;
  }

  private ObjectNode step(Session s, String action) {
    String observation = s.simulator.step(action);
    int score = (int) Math.round(100 * s.simulator.score());
    boolean done = s.simulator.completed() || s.simulator.moves() > MOVE_LIMIT || score < 0;
    int reward = score - s.lastScore;
    s.lastScore = score;
    s.done = done;
    ObjectNode out = json.createObjectNode();
    out.put("observation", observation);
    out.put("reward", reward);
    out.put("score", score);
    out.put("done", done);
    s.info.setAll(out);
    return out;
  }

  private boolean close(int id) {
    Session s = sessions.get(id);
    if (s == null) {
      throw new BadRequest(404, "The id " + id + " is not valid.");
    }
    synchronized (s) {
      if (s.deleted) {
        throw new BadRequest(409, "The task with environment " + id + " has been deleted.");
      }
      s.deleted = true;
      s.info.put("deleted", true);
      pool.release(s.simulator);
    }
    return true;
  }

  private interface SessionWork<T> {
    T apply(Session s);
  }

  /** The original's {@code _check_id}: a known id, not closed, and, except for a reset, not finished. */
  private <T> T withSession(int id, boolean isReset, SessionWork<T> work) {
    Session s = sessions.get(id);
    if (s == null) {
      throw new BadRequest(404, "The id " + id + " is not valid.");
    }
    synchronized (s) {
      if (s.deleted) {
        throw new BadRequest(409, "The task with environment " + id + " has been deleted.");
      }
      if (!isReset && s.done) {
        throw new BadRequest(409, "The task with environment " + id + " has finished.");
      }
      if (!isReset && !s.info.has("task_name")) {
        throw new BadRequest(409, "environment " + id + " has no task yet: POST /reset first");
      }
      return work.apply(s);
    }
  }

  private static void expect(String method, String allowed, String path) {
    if (!method.equals(allowed)) {
      throw new BadRequest(405, path + " takes " + allowed + ", not " + method);
    }
  }

  private JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new BadRequest(413, "request body over " + MAX_BODY_BYTES + " bytes");
    }
    JsonNode node;
    try {
      node = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new BadRequest(400, "request body is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new BadRequest(400, "request body must be a JSON object");
    }
    return node;
  }

  private static int intField(JsonNode request, String name) {
    JsonNode value = request.get(name);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new BadRequest(400, "field '" + name + "' must be an integer, got " + value);
    }
    return value.intValue();
  }

  private static String textField(JsonNode request, String name) {
    JsonNode value = request.get(name);
    if (value == null || !value.isTextual()) {
      throw new BadRequest(400, "field '" + name + "' must be a string, got " + value);
    }
    return value.textValue();
  }

  private static int queryId(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    Map<String, String> params = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    String value = params.get("id");
    if (value == null) {
      throw new BadRequest(400, "query parameter id is required");
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new BadRequest(400, "query parameter id must be an integer, got '" + value + "'");
    }
  }

  /** Stops serving and gives every open environment's simulator back to the pool. */
  @Override
  public void close() {
    http.stop(0);
    executor.close();
    for (Session s : sessions.values()) {
      synchronized (s) {
        if (!s.deleted) {
          s.deleted = true;
          pool.release(s.simulator);
        }
      }
    }
  }
}
