package org.eef4j.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * A JSON protocol served on {@link JettyServers}: a route answers a value Jackson writes; whatever it throws becomes
 * a status and message ({@link HttpError} as it is, the protocol's own exceptions through its {@code faults}, anything
 * else 500), written in the protocol's error shape, as are the errors Jetty itself answers.
 */
public final class JsonHandler extends Handler.Abstract {

  private static final Logger LOG = Logger.getLogger(JsonHandler.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The protocol's routes: the answer to a request (a value Jackson writes), or an exception. */
  @FunctionalInterface
  public interface Routes {
    Object answer(String method, String path, Request request, Response response) throws IOException;
  }

  /** The protocol's error shape, e.g. {@code {"detail": message}}. */
  @FunctionalInterface
  public interface ErrorShape {
    Object of(int status, String message);
  }

  private final Routes routes;
  private final Function<RuntimeException, HttpError> faults;
  private final ErrorShape errors;

  private JsonHandler(Routes routes, Function<RuntimeException, HttpError> faults, ErrorShape errors) {
    this.routes = routes;
    this.faults = faults;
    this.errors = errors;
  }

  /**
   * Starts serving {@code routes} on {@code address} (port 0 picks a free one).
   *
   * @param faults the status and message for an exception of the protocol's own; null for a fault of the server (500)
   */
  public static Server start(String name, InetSocketAddress address, Routes routes,
      Function<RuntimeException, HttpError> faults, ErrorShape errors) {
    JsonHandler handler = new JsonHandler(routes, faults, errors);
    return JettyServers.start(name, address, handler, (status, message) -> json(errors.of(status, message)));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Object body;
    int status = 200;
    String path = request.getHttpURI().getPath();
    try {
      body = routes.answer(request.getMethod(), path == null ? "" : path, request, response);
    } catch (IOException e) {
      // the client went away while sending its body: nobody is left to answer
      LOG.log(Level.FINE, "reading a request failed: " + request.getHttpURI(), e);
      callback.failed(e);
      return true;
    } catch (RuntimeException e) {
      HttpError error = e instanceof HttpError known ? known : faults.apply(e);
      if (error == null) {
        LOG.log(Level.WARNING, "request failed: " + request.getHttpURI(), e);
        error = new HttpError(500, "internal error: " + e);
      }
      status = error.status();
      body = errors.of(status, error.getMessage());
    }
    return JettyServers.send(response, callback, status, json(body));
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
