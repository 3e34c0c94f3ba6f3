package org.eef4j.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.eef4j.core.format.AtomicFiles;
import org.eef4j.core.format.FormatTag;

/**
 * A run's directory: its configuration and one subdirectory per stage, which a restarted run resumes.
 *
 * <p>Layout: {@code run.json} holds {@code {"format": "eef4j-run", "version": 1, "config": {…}}}, the options the run
 * was started with; a restart with other options is refused, since its finished stages would not match them. Each
 * stage writes its outputs into {@code <stage name>/} (names may nest, e.g. "iter1/explore"), each file atomically,
 * then marks itself finished by writing {@code <stage name>/stage.json} ({@code {"format": "eef4j-stage", "version":
 * 1, "stage": name, "millis": wall time}}) last. A stage with that marker is loaded instead of run; a stage without it
 * (the run was killed during it) runs again from the start, overwriting whatever it had written.
 */
public final class RunDirectory {

  public static final FormatTag RUN_TAG = new FormatTag("eef4j-run", 1, 1);
  public static final FormatTag STAGE_TAG = new FormatTag("eef4j-stage", 1, 1);
  static final String MARKER = "stage.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private final Path root;
  private final Consumer<String> log;

  private RunDirectory(Path root, Consumer<String> log) {
    this.root = root;
    this.log = log;
  }

  /**
   * Opens (creating if needed) a run directory for a configuration.
   *
   * @param config a record of plain values (serialised with Jackson)
   * @param log receives one line per stage started, skipped or finished
   * @throws IllegalStateException if the directory holds a run with another configuration
   */
  public static RunDirectory open(Path root, Object config, Consumer<String> log) {
    Objects.requireNonNull(config, "config");
    Path runFile = root.resolve("run.json");
    try {
      // Through text, so that numbers compare as they will read back (an int-valued long reads back as an int).
      JsonNode wanted = JSON.readTree(JSON.writeValueAsString(config));
      if (Files.exists(runFile)) {
        JsonNode existing = JSON.readTree(runFile.toFile());
        try {
          RUN_TAG.check(existing);
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException(runFile + ": " + e.getMessage(), e);
        }
        if (!wanted.equals(existing.get("config"))) {
          throw new IllegalStateException(
              runFile + ": this run directory was started with another configuration; use a new directory.\n"
                  + " recorded: " + existing.get("config") + "\n requested: " + wanted);
        }
      } else {
        ObjectNode n = RUN_TAG.toJson();
        n.set("config", wanted);
        AtomicFiles.write(runFile, out -> JSON.writeValue(out, n));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open run directory " + root, e);
    }
    return new RunDirectory(root, log);
  }

  public Path root() {
    return root;
  }

  public Path dir(String stage) {
    return root.resolve(stage);
  }

  public boolean isDone(String stage) {
    return Files.exists(dir(stage).resolve(MARKER));
  }

  /** Runs the stage unless a previous run finished it; either way returns its loaded result. */
  public <T> T stage(String name, Stage<T> stage) {
    Path dir = dir(name);
    if (isDone(name)) {
      checkMarker(dir.resolve(MARKER));
      log.accept("stage " + name + ": done before, loading");
      return stage.load(dir);
    }
    log.accept("stage " + name + ": running");
    long start = System.nanoTime();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    stage.run(dir);
    long millis = (System.nanoTime() - start) / 1_000_000;
    ObjectNode marker = STAGE_TAG.toJson().put("stage", name).put("millis", millis);
    AtomicFiles.write(dir.resolve(MARKER), out -> JSON.writeValue(out, marker));
    log.accept("stage " + name + ": finished in " + millis + " ms");
    return stage.load(dir);
  }

  private static void checkMarker(Path marker) {
    try {
      STAGE_TAG.check(JSON.readTree(marker.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + marker, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(marker + ": " + e.getMessage(), e);
    }
  }

  /** Writes a record (or any Jackson-serialisable value) as indented JSON, atomically. */
  public static void writeJson(Path file, Object value) {
    AtomicFiles.write(file, out -> JSON.writeValue(out, value));
  }

  public static <T> T readJson(Path file, Class<T> type) {
    try {
      return JSON.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " as " + type.getSimpleName(), e);
    }
  }
}
