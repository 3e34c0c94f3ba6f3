package org.eef4j.webshop.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eef4j.webshop.env.PageView;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;

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
 * <p>Errors answer with a 4xx status and FastAPI's shape {@code {"detail": "..."}}, and touch no other session: 400 for a
 * malformed request, 404 for an unknown session or route, 405 for a wrong method, 409 for a step after the episode
 * ended, 413 for a body over 1 MB. Where the original differs: {@code /state} returns the real URL and instruction
 * (the original returns its dict's key names by mistake) and an empty {@code html}, since this server renders no HTML.
 *
 * <p>Requests run on virtual threads; sessions are independent and each is locked while a request uses it.
 */
public final class AgentGymServer implements AutoCloseable {

  /** AgentGym's bound on live sessions. */
  public static final int DEFAULT_CAPACITY = 8000;
  static final int MAX_BODY_BYTES = 1 << 20;

  private static final Logger LOG = Logger.getLogger(AgentGymServer.class.getName());

  private final WebShop shop;
  private final EnvTable envs;
  private final HttpServer http;
  private final ExecutorService executor;
  private final ObjectMapper json = new ObjectMapper();
  private final SplittableRandom goalRandom = new SplittableRandom();

  private AgentGymServer(WebShop shop, EnvTable envs, HttpServer http, ExecutorService executor) {
    this.shop = shop;
    this.envs = envs;
    this.http = http;
    this.executor = executor;
  }

  /**
   * Starts serving {@code shop} on {@code address} (port 0 picks a free one). Sessions run with {@code config}; an
   * AgentGym server has no step limit of its own ({@link WebShopEnv.Config#UNLIMITED}), its client counts rounds.
   */
  public static AgentGymServer start(WebShop shop, InetSocketAddress address, WebShopEnv.Config config, int capacity) {
    try {
      HttpServer http = HttpServer.create(address, 0);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      SplittableRandom goals = new SplittableRandom();
      // A new session starts on a goal drawn by weight, as the original's create() resets its new env. (When the table
      // is full, create() hands out an existing session as it is, like the original.)
      EnvTable table = new EnvTable(capacity, () -> {
        WebShopEnv env = shop.newSession(config);
        env.reset(shop.randomGoalIndex(goals));
        return env;
      }, new SplittableRandom());
      AgentGymServer server = new AgentGymServer(shop, table, http, executor);
      http.createContext("/", server::handle);
      http.setExecutor(executor);
      http.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
  }

  public static AgentGymServer start(WebShop shop, InetSocketAddress address) {
    return start(shop, address, WebShopEnv.Config.UNLIMITED, DEFAULT_CAPACITY);
  }

  /** The port the server listens on. */
  public int port() {
    return http.getAddress().getPort();
  }

  /** A request the client got wrong: answered with {@code status} and the message. */
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
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "request failed: " + exchange.getRequestURI(), e);
        status = 500;
        body = detail("internal error: " + e);
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

  private ObjectNode detail(String message) {
    return json.createObjectNode().put("detail", message);
  }

  private Object route(String method, String path, HttpExchange exchange) throws IOException {
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
        JsonNode request = body(exchange);
        int id = intField(request, "env_idx");
        String action = textField(request, "action");
        yield envs.withEnv(id, env -> {
          WebShopEnv.Step step = env.step(action);
          ObjectNode out = json.createObjectNode();
          out.put("state", step.observation());
          out.put("reward", step.reward());
          out.put("done", step.done());
          out.putNull("info");
          return out;
        });
      }
      case "/available_actions" -> {
        expect(method, "GET", path);
        yield envs.withEnv(envIdx(exchange), env -> {
          WebShopEnv.AvailableActions actions = env.availableActions();
          ObjectNode out = json.createObjectNode();
          out.put("has_search_bar", actions.hasSearchBar());
          ArrayNode clickables = out.putArray("clickables");
          actions.clickables().forEach(clickables::add);
          return out;
        });
      }
      case "/instruction_text" -> {
        expect(method, "GET", path);
        yield envs.withEnv(envIdx(exchange), WebShopEnv::instructionText);
      }
      case "/observation" -> {
        expect(method, "GET", path);
        yield envs.withEnv(envIdx(exchange), WebShopEnv::observation);
      }
      case "/state" -> {
        expect(method, "GET", path);
        int id = envIdx(exchange);
        yield envs.withEnv(id, env -> {
          ObjectNode out = json.createObjectNode();
          out.put("url", PageView.url(env.page(), String.valueOf(env.goalIndex())));
          out.put("html", "");
          out.put("instruction_text", env.goal().instructionText());
          return out;
        });
      }
      case "/reset" -> {
        expect(method, "POST", path);
        JsonNode request = body(exchange);
        int id = intField(request, "env_idx");
        JsonNode session = request.get("session_id");
        Integer goal = session == null || session.isNull() ? null : intField(request, "session_id");
        yield envs.withEnv(id, env -> {
          ArrayNode out = json.createArrayNode();
          out.add(env.reset(goal != null ? goal : shop.randomGoalIndex(nextRandom())));
          out.addNull();
          return out;
        });
      }
      case "/close" -> {
        expect(method, "POST", path);
        int id = intField(body(exchange), "env_idx");
        yield json.createObjectNode().put("closed", envs.close(id));
      }
      default -> throw new BadRequest(404, "no route " + path);
    };
  }

  private synchronized SplittableRandom nextRandom() {
    return goalRandom.split();
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
    if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
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

  private static int envIdx(HttpExchange exchange) {
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
    String value = params.get("env_idx");
    if (value == null) {
      throw new BadRequest(400, "query parameter env_idx is required");
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new BadRequest(400, "query parameter env_idx must be an integer, got '" + value + "'");
    }
  }

  @Override
  public void close() {
    http.stop(0);
    executor.close();
  }
}
