package org.eef4j.webshop.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eef4j.webshop.env.PageView;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;
import org.eef4j.webshop.server.JettyServers.HttpError;

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
 * server renders no HTML; a full table refuses {@code /create} or evicts a long-idle session (see {@link EnvTable})
 * where the original hands out an existing session to a second client.
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

  private static final Logger LOG = Logger.getLogger(AgentGymServer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebShop shop;
  private final EnvTable envs;
  private final SplittableRandom goalRandom = new SplittableRandom();
  private Server http;

  private AgentGymServer(WebShop shop, EnvTable envs) {
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
    // A new session starts on a goal drawn by weight, as the original's create() resets its new env.
    EnvTable table = new EnvTable(capacity, evictAfter, () -> {
      WebShopEnv env = shop.newSession(config);
      env.reset(shop.randomGoalIndex(goals));
      return env;
    }, new SplittableRandom(), clock);
    AgentGymServer server = new AgentGymServer(shop, table);
    server.http = JettyServers.start("agentgym-webshop", address, new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        return server.handle(request, response, callback);
      }
    }, (status, message) -> server.detailBytes(message));
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

  private boolean handle(Request request, Response response, Callback callback) {
    Object body;
    int status = 200;
    String path = request.getHttpURI().getPath();
    try {
      body = route(request.getMethod(), path == null ? "" : path, request, response);
    } catch (HttpError e) {
      status = e.status;
      body = detail(e.getMessage());
    } catch (EnvTable.Full e) {
      status = 503;
      body = detail(e.getMessage());
    } catch (EnvTable.Gone e) {
      status = 410;
      body = detail(e.getMessage());
    } catch (NoSuchElementException e) {
      status = 404;
      body = detail(e.getMessage());
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      status = 400;
      body = detail(e.getMessage());
    } catch (IllegalStateException e) {
      status = 409;
      body = detail(e.getMessage());
    } catch (IOException e) {
      // the client went away while sending its body: nobody is left to answer
      LOG.log(Level.FINE, "reading a request failed: " + request.getHttpURI(), e);
      callback.failed(e);
      return true;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "request failed: " + request.getHttpURI(), e);
      status = 500;
      body = detail("internal error: " + e);
    }
    try {
      return JettyServers.send(response, callback, status, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode detail(String message) {
    return JSON.createObjectNode().put("detail", message);
  }

  private byte[] detailBytes(String message) {
    try {
      return JSON.writeValueAsBytes(detail(message));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object route(String method, String path, Request request, Response response) throws IOException {
    return switch (path) {
      case "/" -> {
        expect(method, "GET", path);
        yield "ok";
      }
      case "/list_envs" -> {
        expect(method, "GET", path);
        yield envs.ids();
      }
      case "/create" -> {
        expect(method, "POST", path);
        yield envs.create();
      }
      case "/step" -> {
        expect(method, "POST", path);
        JsonNode body = body(request, response);
        int id = intField(body, "env_idx");
        String action = textField(body, "action");
        yield envs.withEnv(id, env -> {
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
        expect(method, "GET", path);
        yield envs.withEnv(envIdx(request), env -> {
          WebShopEnv.AvailableActions actions = env.availableActions();
          ObjectNode out = JSON.createObjectNode();
          out.put("has_search_bar", actions.hasSearchBar());
          ArrayNode clickables = out.putArray("clickables");
          actions.clickables().forEach(clickables::add);
          return out;
        });
      }
      case "/instruction_text" -> {
        expect(method, "GET", path);
        yield envs.withEnv(envIdx(request), WebShopEnv::instructionText);
      }
      case "/observation" -> {
        expect(method, "GET", path);
        yield envs.withEnv(envIdx(request), WebShopEnv::observation);
      }
      case "/state" -> {
        expect(method, "GET", path);
        yield envs.withEnv(envIdx(request), env -> {
          ObjectNode out = JSON.createObjectNode();
          out.put("url", PageView.url(env.page(), String.valueOf(env.goalIndex())));
          out.put("html", "");
          out.put("instruction_text", env.goal().instructionText());
          return out;
        });
      }
      case "/reset" -> {
        expect(method, "POST", path);
        JsonNode body = body(request, response);
        int id = intField(body, "env_idx");
        JsonNode session = body.get("session_id");
        Integer goal = session == null || session.isNull() ? null : intField(body, "session_id");
        yield envs.withEnv(id, env -> {
          ArrayNode out = JSON.createArrayNode();
          out.add(env.reset(goal != null ? goal : shop.randomGoalIndex(nextRandom())));
          out.addNull();
          return out;
        });
      }
      case "/close" -> {
        expect(method, "POST", path);
        int id = intField(body(request, response), "env_idx");
        yield JSON.createObjectNode().put("closed", envs.close(id));
      }
      default -> throw new HttpError(404, "no route " + path);
    };
  }

  private synchronized SplittableRandom nextRandom() {
    return goalRandom.split();
  }

  private static void expect(String method, String allowed, String path) {
    if (!method.equals(allowed)) {
      throw new HttpError(405, path + " takes " + allowed + ", not " + method);
    }
  }

  private static JsonNode body(Request request, Response response) throws IOException {
    byte[] bytes = JettyServers.body(request, response, MAX_BODY_BYTES);
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "request body is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new HttpError(400, "request body must be a JSON object");
    }
    return node;
  }

  private static int intField(JsonNode request, String name) {
    JsonNode value = request.get(name);
    if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new HttpError(400, "field '" + name + "' must be an integer, got " + value);
    }
    return value.intValue();
  }

  private static String textField(JsonNode request, String name) {
    JsonNode value = request.get(name);
    if (value == null || !value.isTextual()) {
      throw new HttpError(400, "field '" + name + "' must be a string, got " + value);
    }
    return value.textValue();
  }

  private static int envIdx(Request request) {
    String query = request.getHttpURI().getQuery();
    Map<String, String> params = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          try {
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
          } catch (IllegalArgumentException e) {
            throw new HttpError(400, "malformed query '" + query + "': " + e.getMessage());
          }
        }
      }
    }
    String value = params.get("env_idx");
    if (value == null) {
      throw new HttpError(400, "query parameter env_idx is required");
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new HttpError(400, "query parameter env_idx must be an integer, got '" + value + "'");
    }
  }

  @Override
  public void close() {
    JettyServers.stop(http);
  }
}
