package org.eef4j.cli.webshop;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;
import org.eef4j.webshop.server.AgentGymServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eef4j webshop serve}: the WebShop over AgentGym's HTTP protocol, until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the WebShop over AgentGym's environment-server HTTP protocol (POST /create, /reset, /step...).")
public final class ServeCommand implements Callable<Integer> {

  @Mixin ShopOptions shop;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8000", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--capacity", defaultValue = "8000",
      description = "Sessions kept at once; past it, /create frees the session idle longest if idle for "
          + "--evict-idle-after, else answers 503 (default: ${DEFAULT-VALUE}).")
  int capacity;

  @Option(names = "--evict-idle-after", defaultValue = "600", paramLabel = "SECONDS",
      description = "How long a session must be idle before a full table gives its place away (its owner then gets "
          + "410); 0 never evicts (default: ${DEFAULT-VALUE}).")
  long evictIdleAfter;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new UserInputException("--port must be in 0..65535, got " + port);
    }
    if (capacity <= 0) {
      throw new UserInputException("--capacity must be positive, got " + capacity);
    }
    if (evictIdleAfter < 0) {
      throw new UserInputException("--evict-idle-after must be >= 0, got " + evictIdleAfter);
    }
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    WebShop webShop = shop.load();
    WebShop.LoadTimes times = webShop.loadTimes();
    out.printf(java.util.Locale.ROOT, "loaded in %.1f s: catalogue %.1f s from %s, goals %.1f s, index %s %.1f s%n",
        (System.nanoTime() - start) / 1e9, times.catalogueSeconds(), times.catalogueFrom(), times.goalsSeconds(),
        times.indexBuilt() ? "built" : "reopened", times.indexSeconds());
    AgentGymServer server = AgentGymServer.start(webShop, new InetSocketAddress(host, port),
        WebShopEnv.Config.UNLIMITED, capacity, evictIdleAfter == 0 ? null : java.time.Duration.ofSeconds(evictIdleAfter));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      webShop.close();
      stopped.countDown();
    }));
    out.printf("WebShop: %d products, %d goals; serving AgentGym's protocol on http://%s:%d%n",
        webShop.catalog().size(), webShop.goals().size(), host, server.port());
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
