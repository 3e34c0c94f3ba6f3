package org.eef4j.webshop.server;

import static org.eef4j.http.JsonRequests.intField;
import static org.eef4j.http.JsonRequests.object;
import static org.eef4j.http.JsonRequests.queryInt;
import static org.eef4j.http.JsonRequests.requireMethod;
import static org.eef4j.http.JsonRequests.textField;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eef4j.webshop.env.PageView;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;
import org.eef4j.http.HttpError;
import org.eef4j.http.JettyServers;
import org.eef4j.http.JsonHandler;
import org.eef4j.http.SessionTable;

/**
 * A {@link WebShop} served over AgentGym's environment-server protocol (spec WEBSHOP.md g; AG:agentenv_webshop/
 * server.py), so that AgentGym's WebShop client drives it unchanged.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>GET /</td><td>{@code "ok"}</td></tr>
 *   <tr><td>GET /list_envs</td><td>{@code [id, ...]}</td></tr>
 *   <tr><td>POST /create</td><td>a new session id, its episode started on a goal drawn by weight</td></tr>
 *   <tr><td>POST /step {@code {"env_idx", "action"}}</td><td>{@code {"state", "reward", "done", "info": null}}</td></tr>
 *   <tr><td>GET /available_actions?env_idx=</td><td>{@code {"has_search_bar", "clickables"}}</td></tr>
 *   <tr><td>GET /instruction_text?env_idx=</td><td>the page heading's instruction</td></tr>
 *   <tr><td>GET /observation?env_idx=</td><td>the current page's text</td></tr>
 *   <tr><td>GET /state?env_idx=</td><td>{@code {"url", "html", "instruction_text"}}</td></tr>
 *   <tr><td>POST /reset {@code {"env_idx", "session_id"}}</td><td>{@code [observation, null]}; session_id is the goal
 *       index (null: a goal drawn by weight)</td></tr>
 *   <tr><td>POST /close {@code {"env_idx"}}</td><td>{@code {"closed": bool}} (newer AgentGym servers have it)</td></tr>
 * </table>
 *
 * <p>Every error answers in FastAPI's shape {@code {"detail": "..."}}, malformed request lines and URLs included, and
 * touches no other session: 400 for a malformed request, 404 for an unknown session or route, 405 for a wrong method,
 * 409 for a step after the episode ended, 410 for a session evicted to make room, 413 for a body over 1 MB (the
 * connection stays usable), 503 when the session table is full. Where the original differs: {@code /state} returns the
 * real URL and instruction (the original returns its dict's key names by mistake) and an empty {@code html}, since this
 * server renders no HTML; a full table refuses {@code /create} or evicts a long-idle session (see {@link SessionTable})
 * where the original hands out an existing session to a second client. Ids are random in 0..{@value #MAX_ID} as the
 * original's ({@code WebshopEnvServer}, AG:agentenv_webshop/environment.py), never one live or recently closed.
 *
 * <p>Served by Jetty on virtual threads ({@link JettyServers} says why); sessions are independent and each is locked
 * while a request uses it.
 */
public final class AgentGymServer implements AutoCloseable {

  /** AgentGym's bound on live sessions. */
  public static final int DEFAULT_CAPACITY = 8000;

  /**
   * How long a session must have been idle before a full table gives its place to a new client: far longer than any
   * step takes, so only sessions whose client went away or forgot {@code /close} are evicted.
   */
  public static final Duration DEFAULT_EVICT_AFTER = Duration.ofMinutes(10);

  static final int MAX_BODY_BYTES = 1 << 20;

  /** The largest session id, as AgentGym's. */
  static final int MAX_ID = 48_950_076;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebShop shop;
  private final SessionTable<WebShopEnv> envs;
  private final SplittableRandom goalRandom = new SplittableRandom();
  private Server http;

  private AgentGymServer(WebShop shop, SessionTable<WebShopEnv> envs) {
    this.shop = shop;
    this.envs = envs;
  }

  /**
   * Starts serving {@code shop} on {@code address} (port 0 picks a free one). Sessions run with {@code config}; an
   * AgentGym server has no step limit of its own ({@link WebShopEnv.Config#UNLIMITED}), its client counts rounds.
   * At most {@code capacity} sessions live at once; past it a session idle for {@code evictAfter} gives way (null:
   * never, a full table answers 503).
   */
  public static AgentGymServer start(WebShop shop, InetSocketAddress address, WebShopEnv.Config config, int capacity,
      Duration evictAfter) {
    return start(shop, address, config, capacity, evictAfter, System::nanoTime);
  }

  static AgentGymServer start(WebShop shop, InetSocketAddress address, WebShopEnv.Config config, int capacity,
      Duration evictAfter, LongSupplier clock) {
    SplittableRandom goals = new SplittableRandom();
    SplittableRandom ids = new SplittableRandom();
    // A new session starts on a goal drawn by weight, as the original's create() resets its new env.
    SessionTable<WebShopEnv> table = new SessionTable<>(capacity, evictAfter, () -> {
      WebShopEnv env = shop.newSession(config);
      synchronized (goals) {
        env.reset(shop.randomGoalIndex(goals));
      }
      return env;
    }, env -> {}, () -> ids.nextInt(MAX_ID + 1), clock);
    AgentGymServer server = new AgentGymServer(shop, table);
    server.http = JsonHandler.start("agentgym-webshop", address, server::route, AgentGymServer::fault,
        (status, message) -> detail(message));
    return server;
  }

  public static AgentGymServer start(WebShop shop, InetSocketAddress address, WebShopEnv.Config config, int capacity) {
    return start(shop, address, config, capacity, DEFAULT_EVICT_AFTER);
  }

  public static AgentGymServer start(WebShop shop, InetSocketAddress address) {
    return start(shop, address, WebShopEnv.Config.UNLIMITED, DEFAULT_CAPACITY);
  }

  /** The port the server listens on. */
  public int port() {
    return JettyServers.port(http);
  }

  /** Status and message for the exceptions of the session table and the shop; null for the others (500). */
  private static HttpError fault(RuntimeException e) {
    return switch (e) {
      case SessionTable.Full full -> new HttpError(503, full.getMessage());
      case SessionTable.Ended ended when ended.how() == SessionTable.End.EVICTED ->
          new HttpError(410, ended.getMessage());
      case SessionTable.Ended ended -> new HttpError(404, unknown(ended.id()) + "; it was closed");
      case SessionTable.Unknown unknown -> new HttpError(404, unknown(unknown.id()));
      case NoSuchElementException missing -> new HttpError(404, missing.getMessage());
      case IllegalArgumentException bad -> new HttpError(400, bad.getMessage());
      case IndexOutOfBoundsException bad -> new HttpError(400, bad.getMessage());
      case IllegalStateException ended -> new HttpError(409, ended.getMessage());
      default -> null;
    };
  }

  private static String unknown(int id) {
    return "no environment with env_idx " + id + " (create one with POST /create)";
  }

  private static ObjectNode detail(String message) {
    return JSON.createObjectNode().put("detail", message);
  }

  private Object route(String method, String path, Request request, Response response) throws IOException {
    return switch (path) {
      case "/" -> {
        requireMethod(method, "GET", path);
        yield "ok";
      }
      case "/list_envs" -> {
        requireMethod(method, "GET", path);
        yield envs.ids();
      }
      case "/create" -> {
        requireMethod(method, "POST", path);
        yield envs.create();
      }
      case "/step" -> {
        requireMethod(method, "POST", path);
        JsonNode body = object(request, response, MAX_BODY_BYTES);
        int id = intField(body, "env_idx");
        String action = textField(body, "action");
        yield envs.withSession(id, env -> {
          WebShopEnv.Step step = env.step(action);
          ObjectNode out = JSON.createObjectNode();
          out.put("state", step.observation());
          out.put("reward", step.reward());
          out.put("done", step.done());
          out.putNull("info");
          return out;
        });
      }
      case "/available_actions" -> {
        requireMethod(method, "GET", path);
        yield envs.withSession(queryInt(request, "env_idx"), env -> {
          WebShopEnv.AvailableActions actions = env.availableActions();
          ObjectNode out = JSON.createObjectNode();
          out.put("has_search_bar", actions.hasSearchBar());
          ArrayNode clickables = out.putArray("clickables");
          actions.clickables().forEach(clickables::add);
          return out;
        });
      }
      case "/instruction_text" -> {
        requireMethod(method, "GET", path);
        yield envs.withSession(queryInt(request, "env_idx"), WebShopEnv::instructionText);
      }
      case "/observation" -> {
        requireMethod(method, "GET", path);
        yield envs.withSession(queryInt(request, "env_idx"), WebShopEnv::observation);
      }
      case "/state" -> {
        requireMethod(method, "GET", path);
        yield envs.withSession(queryInt(request, "env_idx"), env -> {
          ObjectNode out = JSON.createObjectNode();
          out.put("url", PageView.url(env.page(), String.valueOf(env.goalIndex())));
          out.put("html", "");
          out.put("instruction_text", env.goal().instructionText());
          return out;
        });
      }
      case "/reset" -> {
        requireMethod(method, "POST", path);
        JsonNode body = object(request, response, MAX_BODY_BYTES);
        int id = intField(body, "env_idx");
        JsonNode session = body.get("session_id");
        Integer goal = session == null || session.isNull() ? null : intField(body, "session_id");
        yield envs.withSession(id, env -> {
          ArrayNode out = JSON.createArrayNode();
          out.add(env.reset(goal != null ? goal : shop.randomGoalIndex(nextRandom())));
          out.addNull();
          return out;
        });
      }
      case "/close" -> {
        requireMethod(method, "POST", path);
        int id = intField(object(request, response, MAX_BODY_BYTES), "env_idx");
        boolean closed;
        try {
          envs.close(id);
          closed = true;
        } catch (SessionTable.Unknown | SessionTable.Ended e) {
          closed = false; // as newer AgentGym servers answer an id they do not hold
        }
        yield JSON.createObjectNode().put("closed", closed);
      }
      default -> throw new HttpError(404, "no route " + path);
    };
  }

  private synchronized SplittableRandom nextRandom() {
    return goalRandom.split();
  }

  @Override
  public void close() {
    JettyServers.stop(http);
    envs.closeAll();
  }
}
