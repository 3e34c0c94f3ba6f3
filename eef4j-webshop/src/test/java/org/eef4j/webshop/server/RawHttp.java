package org.eef4j.webshop.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 keep-alive connection on loopback, written by hand so that a test sees exactly what the server does with
 * its connection: every request goes on the same socket, and a connection the server closes shows as an error instead
 * of being retried on a new one behind the test's back (as pooled clients do).
 */
final class RawHttp implements AutoCloseable {

  record Reply(int status, Map<String, String> headers, String body) {
    boolean closes() {
      return "close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(60_000); // a bound on every read: a stuck server fails the test instead of hanging it
    socket.setTcpNoDelay(true); // a request in two writes would otherwise wait for the delayed ACK (40 ms)
    in = new java.io.BufferedInputStream(socket.getInputStream());
    out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
  }

  Reply send(String method, String target, String body) throws IOException {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    return send(method, target, content);
  }

  Reply send(String method, String target, byte[] content) throws IOException {
    String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + content.length + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(content);
    out.flush();
    return read();
  }

  /** Writes {@code raw} as it is (a malformed request) and reads the answer. */
  Reply sendRaw(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return read();
  }

  Reply read() throws IOException {
    String status = line();
    if (status == null) {
      throw new EOFException("the server closed the connection without an answer");
    }
    String[] parts = status.split(" ", 3);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(); h != null && !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
        all.write(in.readNBytes(size));
        line();
      }
      line();
      body = all.toByteArray();
    } else {
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      body = in.readNBytes(length);
      if (body.length < length) {
        throw new EOFException("the server closed the connection in the middle of a body");
      }
    }
    return new Reply(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        byte[] b = buf.toByteArray();
        int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
      }
      buf.write(c);
    }
    return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
