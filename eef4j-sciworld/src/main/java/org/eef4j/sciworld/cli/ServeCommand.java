package org.eef4j.sciworld.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.eef4j.sciworld.server.SciWorldServer;
import org.eef4j.sciworld.sim.SimulatorPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eef4j sciworld serve}: ScienceWorld over AgentGym's agentenv-sciworld HTTP protocol, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve SciWorld over AgentGym's environment-server HTTP protocol (POST /create, /reset, /step...).")
public final class ServeCommand implements Callable<Integer> {

  @Mixin SciWorldOptions options;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8000", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--capacity", defaultValue = "256",
      description = "Environments open at once, each with its own simulator of about 20 MB (default: ${DEFAULT-VALUE}).")
  int capacity;

  @Option(names = "--simplifications", defaultValue = "",
      description = "What every reset loads with: none, as AgentGym's server (the default), or e.g. easy, as ETO.")
  String simplifications;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    return Commands.run(spec.commandLine().getErr(), () -> {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
      }
      if (capacity < 1) {
        throw new IllegalArgumentException("--capacity must be >= 1, got " + capacity);
      }
      SimulatorPool pool = new SimulatorPool(options.jar());
      SciWorldServer server = SciWorldServer.start(pool, new InetSocketAddress(host, port), simplifications, capacity);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        pool.close();
        stopped.countDown();
      }));
      out.println(pool.jar().describe());
      out.printf("SciWorld: %d games in AgentGym's data_idx order; serving AgentGym's protocol on http://%s:%d%n",
          server.games().size(), host, server.port());
      out.flush();
      stopped.await();
      return Commands.OK;
    });
  }
}
