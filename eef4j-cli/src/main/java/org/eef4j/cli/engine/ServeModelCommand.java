package org.eef4j.cli.engine;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.serve.OpenAiServer;
import org.eef4j.engine.serve.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j serve}: a model directory (and LoRA adapters) behind an OpenAI-compatible HTTP API in vLLM's shapes,
 * until the process is stopped. See docs/serve.md.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve a model directory over an OpenAI-compatible API (vLLM's shapes): /v1/models, /v1/completions, "
        + "/v1/chat/completions, /tokenize, /v1/load_lora_adapter, /v1/unload_lora_adapter.")
public final class ServeModelCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "The model directory (config.json, model.safetensors, tokenizer.json, tokenizer_config.json).")
  Path model;

  @Option(names = "--lora", paramLabel = "NAME=DIR",
      description = "A PEFT LoRA adapter served as model NAME (repeatable); more can be loaded while serving.")
  Map<String, Path> loras = new LinkedHashMap<>();

  @Option(names = "--served-model-name", paramLabel = "NAME",
      description = "The name requests use for the base model (default: the --model path as given, as vLLM does).")
  String name;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8000", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--max-batch", defaultValue = "32", paramLabel = "N",
      description = "Sequences decoded together (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535) throw new UserInputException("--port must be in 0..65535, got " + port);
    if (maxBatch < 1) throw new UserInputException("--max-batch must be at least 1, got " + maxBatch);
    ServedModel served;
    try {
      served = ServedModel.load(model, name != null ? name : model.toString());
    } catch (RuntimeException e) {
      throw new UserInputException(e.getMessage(), e);
    }
    OpenAiServer server = OpenAiServer.start(served, new InetSocketAddress(host, port),
        GeneratorOptions.defaults().withMaxBatch(maxBatch));
    for (Map.Entry<String, Path> lora : loras.entrySet()) {
      try {
        server.models().loadAdapter(lora.getKey(), lora.getValue());
      } catch (RuntimeException e) {
        server.close();
        throw new UserInputException("--lora " + lora.getKey() + "=" + lora.getValue() + ": " + e.getMessage(), e);
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("serving %s (%d adapters) on http://%s:%d/v1%n", served.name(), loras.size(), host, server.port());
    out.flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
