package org.eef4j.sciworld.server;

import static org.eef4j.http.JsonRequests.intField;
import static org.eef4j.http.JsonRequests.object;
import static org.eef4j.http.JsonRequests.queryInt;
import static org.eef4j.http.JsonRequests.requireMethod;
import static org.eef4j.http.JsonRequests.textField;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eef4j.http.HttpError;
import org.eef4j.http.JettyServers;
import org.eef4j.http.JsonHandler;
import org.eef4j.http.SessionTable;
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
 * same JSON and a 4xx status, malformed request lines and URLs included: 400 for a malformed request or a data_idx out
 * of range, 404 for an unknown id or route, 405 for a wrong method, 409 for a step on a finished or closed environment,
 * 410 for an environment evicted to make room, 413 for a body over 1 MB (the connection stays usable), 503 when the
 * session table is full. At most {@code capacity} environments are open at once; past it {@code /create} evicts the
 * environment idle the longest if it has been idle {@code evictAfter}, else answers 503 ({@link SessionTable}); it
 * never hands out an open environment. A closed or evicted id is never given out again (ids count up from 0 as the
 * original's); the original remembers every closed environment forever, this server the last {@code capacity} closed
 * or evicted ones (an older closed id answers 404).
 *
 * <p>Served by Jetty on virtual threads ({@link JettyServers} says why). Each environment has a simulator of its own,
 * borrowed from the pool and given back when it is closed or evicted; each environment is locked while a request uses
 * it.
 */
public final class SciWorldServer implements AutoCloseable {

  /** ScienceWorld's Python default step limit, which AgentGym's server keeps. */
  public static final int MOVE_LIMIT = 100;
  static final int MAX_BODY_BYTES = 1 << 20;

  /**
   * How long an environment must have been idle before a full table gives its place to a new client: far longer than
   * any step takes, so only environments whose client went away or forgot {@code /close} are evicted.
   */
  public static final Duration DEFAULT_EVICT_AFTER = Duration.ofMinutes(10);
  private static final Logger LOG = Logger.getLogger(SciWorldServer.class.getName());

  private final SimulatorPool pool;
  private final List<SciWorldTasks.Game> games;
  private final String simplifications;
  private final ObjectMapper json = new ObjectMapper();
  private final SessionTable<Session> sessions;
  private Server http;

  /** One environment: its simulator and what the original keeps in its {@code info} dict. */
  private static final class Session {
    final Simulator simulator;
    final ObjectNode info;
    boolean done;
    int lastScore;

    Session(Simulator simulator, ObjectNode info) {
      this.simulator = simulator;
      this.info = info;
    }
  }

  private SciWorldServer(SimulatorPool pool, List<SciWorldTasks.Game> games, String simplifications, int capacity,
      Duration evictAfter, LongSupplier clock) {
    this.pool = pool;
    this.games = games;
    this.simplifications = simplifications;
    int[] nextId = {0}; // called under the table's lock
    this.sessions = new SessionTable<>(capacity, evictAfter,
        () -> new Session(pool.acquire(), json.createObjectNode().put("deleted", false).put("done", false)),
        s -> pool.release(s.simulator), () -> nextId[0]++, clock);
  }

  /**
   * Starts serving on {@code address} (port 0 picks a free one). The pool stays the caller's to close.
   *
   * @param simplifications what every reset loads with: "" as AgentGym does, or e.g. "easy" as ETO does
   * @param capacity the most environments open at once (each holds a simulator: about 20 MB)
   */
  public static SciWorldServer start(SimulatorPool pool, InetSocketAddress address, String simplifications,
      int capacity) {
    return start(pool, address, simplifications, capacity, DEFAULT_EVICT_AFTER, System::nanoTime);
  }

  /**
   * As {@link #start(SimulatorPool, InetSocketAddress, String, int)}; past {@code capacity} an environment idle for
   * {@code evictAfter} gives way (null: never, a full table answers 503); {@code clock} gives monotonic nanoseconds.
   */
  public static SciWorldServer start(SimulatorPool pool, InetSocketAddress address, String simplifications,
      int capacity, Duration evictAfter, LongSupplier clock) {
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
    SciWorldServer server = new SciWorldServer(pool, games, simplifications, capacity, evictAfter, clock);
    server.http = JsonHandler.start("agentgym-sciworld", address, server::route, SciWorldServer::fault,
        (status, message) -> server.error(message));
    return server;
  }

  public int port() {
    return JettyServers.port(http);
  }

  /** The games in data_idx order. */
  public List<SciWorldTasks.Game> games() {
    return games;
  }

  /** Status and message for the exceptions of the session table and the simulator; null for the others (500). */
  private static HttpError fault(RuntimeException e) {
    return switch (e) {
      case SessionTable.Full full -> new HttpError(503, full.getMessage());
      case SessionTable.Ended ended when ended.how() == SessionTable.End.EVICTED ->
          new HttpError(410, ended.getMessage());
      case SessionTable.Ended ended -> new HttpError(409, "The task with environment " + ended.id() + " has been deleted.");
      case SessionTable.Unknown unknown -> new HttpError(404, "The id " + unknown.id() + " is not valid.");
      case SimulatorException failed -> {
        LOG.log(Level.WARNING, "the simulator failed", failed);
        yield new HttpError(500, failed.getMessage());
      }
      default -> null;
    };
  }

  private ObjectNode error(String message) {
    return json.createObjectNode().put("error", message);
  }

  private Object route(String method, String path, Request request, Response response) throws IOException {
    return switch (path) {
      case "/" -> {
        requireMethod(method, "GET", path);
        yield "This is environment ScienceWorld.";
      }
      case "/create" -> {
        requireMethod(method, "POST", path);
        yield create();
      }
      case "/reset" -> {
        requireMethod(method, "POST", path);
        JsonNode fields = object(request, response, MAX_BODY_BYTES);
        int id = intField(fields, "id");
        int dataIdx = intField(fields, "data_idx");
        yield withSession(id, true, s -> reset(s, dataIdx));
      }
      case "/step" -> {
        requireMethod(method, "POST", path);
        JsonNode fields = object(request, response, MAX_BODY_BYTES);
        int id = intField(fields, "id");
        String action = textField(fields, "action");
        yield withSession(id, false, s -> step(s, action));
      }
      case "/observation" -> {
        requireMethod(method, "GET", path);
        yield withSession(queryInt(request, "id"), false, s -> s.info.path("observation").asText(""));
      }
      case "/action_hint" -> {
        requireMethod(method, "GET", path);
        yield withSession(queryInt(request, "id"), false, s -> {
          ObjectNode out = json.createObjectNode();
          s.simulator.possibleActions().forEach(out.putArray("possible_actions")::add);
          s.simulator.possibleObjects().forEach(out.putArray("possible_objects")::add);
          return out;
        });
      }
      case "/task_description" -> {
        requireMethod(method, "GET", path);
        yield withSession(queryInt(request, "id"), false,
            s -> json.createObjectNode().put("task_description", s.simulator.taskDescription()));
      }
      case "/goals" -> {
        requireMethod(method, "GET", path);
        yield withSession(queryInt(request, "id"), false,
            s -> json.createObjectNode().put("goals", s.simulator.goalProgress()));
      }
      case "/detail" -> {
        requireMethod(method, "GET", path);
        yield withSession(queryInt(request, "id"), false, s -> s.info.deepCopy());
      }
      case "/close" -> {
        requireMethod(method, "POST", path);
        sessions.close(intField(object(request, response, MAX_BODY_BYTES), "id"));
        yield true;
      }
      default -> throw new HttpError(404, "no route " + path);
    };
  }

  private ObjectNode create() {
    return json.createObjectNode().put("id", sessions.create());
  }

  private ObjectNode reset(Session s, int dataIdx) {
    if (dataIdx < 0 || dataIdx >= games.size()) {
      throw new HttpError(400, "data_idx " + dataIdx + " is outside 0.." + (games.size() - 1));
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

  /** The original's {@code _check_id}: a known id, not closed, and, except for a reset, not finished. */
  private <T> T withSession(int id, boolean isReset, Function<Session, T> work) {
    return sessions.withSession(id, s -> {
      if (!isReset && s.done) {
        throw new HttpError(409, "The task with environment " + id + " has finished.");
      }
      if (!isReset && !s.info.has("task_name")) {
        throw new HttpError(409, "environment " + id + " has no task yet: POST /reset first");
      }
      return work.apply(s);
    });
  }

  /** Stops serving and gives every open environment's simulator back to the pool. */
  @Override
  public void close() {
    JettyServers.stop(http);
    sessions.closeAll();
  }
}
