package org.eef4j.webshop.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP foundation of the environment servers: Jetty 12 (core API, no servlet layer) with request handlers on virtual
 * threads, JSON errors for everything Jetty itself refuses, and bounded request bodies.
 *
 * <p>Why Jetty rather than the JDK's {@code com.sun.net.httpserver}: the JDK server keeps at most 200 idle keep-alive
 * connections (a JVM-wide system property, {@code sun.net.httpserver.maxIdleConnections}) and closes the others without
 * a word, which breaks every client past 200 that reuses its connection; it answers malformed requests with its own
 * HTML page, and resets a connection whose body it did not read. Jetty is well kept, has no connection cap unless one
 * is configured, routes every error it produces through one {@link ErrorHandler} (so malformed URLs get the protocol's
 * JSON too) and runs handlers on virtual threads while its selectors stay on platform threads. The engine's
 * OpenAI-compatible server uses the same setup; the module rule (the engine depends on nothing of ours) keeps the two
 * small copies apart.
 */
final class JettyServers {

  /**
   * Idle keep-alive connections are closed after this long. Longer than the usual client pools keep a connection (the
   * JDK HttpClient 30 s, aiohttp 15 s; urllib3 does not time out), so a client's reused connection is not closed
   * under it in the common case; a client whose pool keeps connections longer retries, as HTTP/1.1 allows.
   */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** Bodies up to this much past the limit are read and dropped so the 413 arrives on a connection still usable. */
  static final long DRAIN_LIMIT = 64L << 20;

  private JettyServers() {}

  /** A request the client got wrong, answered with its status and message. */
  static final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /**
   * Starts Jetty on {@code address} with {@code handler}; {@code errorBody} turns a status and message into the JSON
   * bytes every error Jetty itself answers (malformed request line, bad URI encoding, headers too large) carries.
   */
  static Server start(String name, InetSocketAddress address, Handler handler,
      BiFunction<Integer, String, byte[]> errorBody) {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName(name);
    threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(address.getHostString());
    connector.setPort(address.getPort());
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setAcceptQueueSize(1024); // a burst of hundreds of clients connecting at once waits instead of being refused
    server.addConnector(connector);
    server.setHandler(handler);
    server.setErrorHandler(new JsonErrors(errorBody));
    server.setStopTimeout(0); // close() ends the server at once: callers close it when they are done with it
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("cannot listen on " + address,
          e instanceof IOException io ? io : new IOException(e));
    }
    return server;
  }

  static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  static void stop(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the server failed", e);
    }
  }

  /**
   * Reads a request body of at most {@code limit} bytes. A longer one is refused with 413; up to {@link #DRAIN_LIMIT}
   * of it is read and dropped first (memory stays bounded) so that the answer reaches a client still sending and the
   * connection stays usable; past that the connection is closed after the answer.
   */
  static byte[] body(Request request, Response response, int limit) throws IOException {
    long declared = request.getLength();
    String tooLarge = "request body over " + limit + " bytes";
    if (declared > DRAIN_LIMIT) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      throw new HttpError(413, tooLarge + " (" + declared + " declared)");
    }
    InputStream in = Content.Source.asInputStream(request);
    byte[] bytes = in.readNBytes(limit + 1);
    if (bytes.length > limit) {
      long dropped = drain(in, DRAIN_LIMIT);
      if (dropped >= DRAIN_LIMIT) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      }
      throw new HttpError(413, tooLarge);
    }
    return bytes;
  }

  private static long drain(InputStream in, long max) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int n;
    while (total < max && (n = in.read(buffer)) >= 0) {
      total += n;
    }
    return total;
  }

  /** Answers {@code status} with {@code json}; the handler has then handled the request. */
  static boolean send(Response response, Callback callback, int status, byte[] json) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
    response.write(true, ByteBuffer.wrap(json), callback);
    return true;
  }

  /** Jetty's own errors (bad request line, bad URI, oversized headers, no handler) in the protocol's JSON shape. */
  private static final class JsonErrors extends ErrorHandler {
    private final BiFunction<Integer, String, byte[]> body;

    JsonErrors(BiFunction<Integer, String, byte[]> body) {
      this.body = body;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
        Callback callback) {
      String text = message != null && !message.isBlank() ? message
          : cause != null && cause.getMessage() != null ? cause.getMessage()
          : org.eclipse.jetty.http.HttpStatus.getMessage(code);
      // a request Jetty could not parse reaches here as a stand-in ("BAD /badMessage"), which names nothing useful
      boolean parsed = !"/badMessage".equals(request.getHttpURI().getPath());
      send(response, callback, code, body.apply(code, parsed
          ? text + " (" + request.getMethod() + " " + request.getHttpURI().getPathQuery() + ")"
          : "malformed request: " + text));
    }
  }
}
