package org.eef4j.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eef4j.core.pipeline.StudentFactory;

/**
 * A config's {@code student}: a model served by vLLM, SGLang or a chat server, which acts in any environment, or one of
 * the students the run's environment trains in-process ({@code K}: the toy's counting student, the engine). An
 * environment's section holds a {@code StudentSetup<ItsKinds>}, so a config cannot pair a student with an environment
 * it does not read.
 *
 * @param <K> the environment's own student kinds
 */
public sealed interface StudentSetup<K> {

  /** The student's {@code kind}, as the config writes it. */
  String kind();

  /** {@code {kind: remote, ...}}: a served model ({@link RemoteStudentSetup}). */
  record Remote<K>(RemoteStudentSetup setup) implements StudentSetup<K> {
    public Remote {
      Objects.requireNonNull(setup, "setup");
    }

    @Override
    public String kind() {
      return REMOTE;
    }

    /** The served student in the opened environment; checks the servers first. */
    StudentFactory factory(EnvironmentSetup.World world, EnvironmentSetup.RunContext run) {
      return setup.factory(world.prompt(), world.environments(), world.tasks().train().getFirst(), run.dir(),
          REMOTE_NOTES, run.trainer());
    }

    /** Where a remote student's setup says what it could not check (a server without /tokenize). */
    private static final java.io.PrintWriter REMOTE_NOTES = new java.io.PrintWriter(System.err, true);
  }

  /** One of the environment's own students, with its keys. */
  record Own<K>(String kind, K setup) implements StudentSetup<K> {
    public Own {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(setup, "setup");
    }
  }

  String REMOTE = "remote";

  /** The engine student's keys, when this is the engine student (its aids, its trainer's needs). */
  default Optional<EngineStudentSetup> engine() {
    return this instanceof Own<?> o && o.setup() instanceof EngineStudentSetup e ? Optional.of(e) : Optional.empty();
  }

  /** Reads one of an environment's own students; checks its keys ({@code kind} among them). */
  @FunctionalInterface
  interface Reader<K> {
    K read(ConfigNode student, Path base);
  }

  /**
   * Reads {@code student}: {@code remote}, or one of {@code kinds}.
   *
   * @param environment the environment's kind, for errors
   */
  static <K> StudentSetup<K> read(ConfigNode n, Path base, String environment, Map<String, Reader<K>> kinds) {
    String kind = n.get("kind").text();
    if (kind.equals(REMOTE)) {
      return new Remote<>(RemoteStudentSetup.parse(n, base));
    }
    Reader<K> reader = kinds.get(kind);
    if (reader == null) {
      List<String> offered = new ArrayList<>(new LinkedHashMap<>(kinds).keySet());
      offered.add(REMOTE);
      throw n.get("kind").error("'" + kind + "' is not a student of the configured environment (" + environment
          + ", whose students are " + String.join(", ", offered) + ")");
    }
    return new Own<>(kind, reader.read(n, base));
  }
}
