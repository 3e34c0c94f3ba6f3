package org.eef4j.cli.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.eef4j.core.agent.StudentView;
import org.eef4j.core.pipeline.RunStore;
import org.eef4j.student.ReplyStyle;

/**
 * What run.json records of a config before anything is written into the run directory
 * ({@link org.eef4j.core.pipeline.RunDirectory#own}): everything that changes a run's results, so that a directory is
 * resumed only by the run that started it.
 *
 * <pre>
 * run.json
 *   format, version      eef4j-run
 *   eef4j_version        the eef4j that started the run and its commit ("eef4j 0.1.0 (commit 1a2b…)", the commit
 *                        "unknown" where the build had no git); not compared on resume
 *   run_config           every field of the parsed {@link RunConfig}, defaults filled in: the environment (a data
 *                        directory as the SHA-256 of its files; the synthetic catalogue as its spec), the experts
 *                        (profiles and seeds; a recorded file as the SHA-256 of its bytes), the student and its aids
 *                        (shape, tokenizer, SFT/DPO options, reply style, warm-up; a checkpoint by content), the
 *                        trainer, methods, seeds, rollout and EEF options; an LLM expert's URL, model, sampling
 *                        and prompt files (not its cache, concurrency, retries, time-out, prices or key variable);
 *                        each record of a sealed family carries its "kind"
 *   machine              facts of the machine that started the run ({@link MachineFacts}); never compared
 * </pre>
 *
 * <p>Each section is serialized whole rather than key by key, so that a key added to a setup record is recorded without
 * further code; a field that does not change results (a secret, a log path) is marked {@link JsonIgnore}. A file is
 * recorded by its content, not its path: the same data moved elsewhere is the same run, an edited file is not.
 */
final class RunIdentity {

  private RunIdentity() {}

  /**
   * An LLM expert's keys that do not change its answers: where responses are cached (a cache shared by runs, which
   * replays the answers the model gave), how many requests are in flight, retries, time-outs, prices, and the name of
   * the variable holding the key.
   */
  private abstract static class LlmExpertMixin {
    @JsonIgnore
    abstract Path cache();

    @JsonIgnore
    abstract int maxConcurrency();

    @JsonIgnore
    abstract int maxRetries();

    @JsonIgnore
    abstract int timeoutSeconds();

    @JsonIgnore
    abstract java.util.Optional<?> price();

    @JsonIgnore
    abstract java.util.Optional<String> apiKeyEnv();
  }

  /** A trainer command runs in the config file's directory: where that is does not change what it trains. */
  private abstract static class TrainerCommandMixin {
    @JsonIgnore
    abstract Path workDir();
  }

  /**
   * A reply style records its view's settings beside its own ("naming" for WebShop's view), not under a "view" of
   * their own: the view is how the student names things, one of the style's settings.
   */
  private abstract static class ReplyStyleMixin {
    @JsonUnwrapped
    abstract StudentView view();
  }

  /** Every record says which of its family it is (Toy or WebShop, Tabular or Engine, ...), as the config's kind does. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
  private abstract static class KindMixin {}

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .registerModule(new Jdk8Module())
          .registerModule(new SimpleModule("eef4j-run-identity").addSerializer(Path.class, new ContentSerializer()))
          .addMixIn(LlmExpertSetup.class, LlmExpertMixin.class)
          .addMixIn(TrainerSetup.Command.class, TrainerCommandMixin.class)
          .addMixIn(ReplyStyle.class, ReplyStyleMixin.class)
          .addMixIn(TrainerSetup.class, KindMixin.class)
          // a map's keys (a trainer's hyperparameters) in one order in every process
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .addMixIn(org.eef4j.core.pipeline.Method.class, KindMixin.class);

  /** The record of a run of {@code cfg}, as run.json starts. */
  static ObjectNode of(RunConfig cfg) {
    ObjectNode n = RunStore.RUN.toJson();
    n.put("eef4j_version", version());
    n.set("run_config", config(cfg));
    n.set("machine", MachineFacts.describe());
    return n;
  }

  /**
   * The config as the file writes it, defaults filled in: {@code environment} (the section's own keys), {@code experts}
   * and {@code student} each with the config's {@code kind}, an own kind's keys beside its name; then the pipeline's
   * options and the trainer.
   */
  static ObjectNode config(RunConfig cfg) {
    ObjectNode config = JSON.createObjectNode();
    EnvironmentSetup env = cfg.environment();
    config.set("environment", withKind(env.kind(), env.keys()));
    var experts = config.putArray("experts");
    for (ExpertSetup<?> e : env.experts()) {
      ObjectNode o = experts.addObject().put("kind", e.kind()).put("name", e.name());
      switch (e) {
        case ExpertSetup.Recorded<?> r -> o.set("file", JSON.valueToTree(r.file()));
        case ExpertSetup.Own<?> own -> o.setAll((ObjectNode) withKind(e.kind(), own.setup()).without("kind"));
      }
    }
    config.set("student", switch (env.student()) {
      case StudentSetup.Remote<?> r -> withKind(r.kind(), r.setup());
      case StudentSetup.Own<?> own -> withKind(own.kind(), own.setup());
    });
    config.set("pipeline", JSON.valueToTree(cfg.pipeline()));
    config.set("trainer", JSON.valueToTree(cfg.trainer()));
    return config;
  }

  /** {@code keys}' fields after {"kind": kind}. */
  private static ObjectNode withKind(String kind, Object keys) {
    ObjectNode o = JSON.createObjectNode().put("kind", kind);
    if (JSON.valueToTree(keys) instanceof ObjectNode fields) o.setAll(fields);
    return o;
  }

  /** eef4j's version with the commit it was built from, as {@code eef4j --version} prints it. */
  static String version() {
    return org.eef4j.cli.common.Build.describe();
  }

  /**
   * A file as {@code {"sha256", "bytes"}}; a directory as {@code {"sha256", "files", "bytes"}} over its files in path
   * order (each file's relative path and bytes).
   */
  static final class ContentSerializer extends StdSerializer<Path> {
    ContentSerializer() {
      super(Path.class);
    }

    @Override
    public void serialize(Path path, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (!Files.exists(path)) {
        // not read by the run (an optional file left out): its name is all there is to record
        gen.writeStartObject();
        gen.writeStringField("missing", path.toString());
        gen.writeEndObject();
        return;
      }
      MessageDigest sha = sha256();
      long bytes = 0;
      int files = 0;
      boolean directory = Files.isDirectory(path);
      List<Path> all;
      if (directory) {
        try (Stream<Path> s = Files.walk(path)) {
          all = s.filter(Files::isRegularFile).sorted().toList();
        }
      } else {
        all = List.of(path);
      }
      byte[] buffer = new byte[1 << 16];
      for (Path f : all) {
        if (directory) {
          sha.update(path.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), sha)) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            bytes += n;
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + f, e);
        }
        files++;
      }
      gen.writeStartObject();
      gen.writeStringField("sha256", HexFormat.of().formatHex(sha.digest()));
      if (directory) {
        gen.writeNumberField("files", files);
      }
      gen.writeNumberField("bytes", bytes);
      gen.writeEndObject();
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }
  }
}
