package org.eef4j.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eef4j.core.pipeline.ExpertSource;

/**
 * One entry of a config's {@code experts}: a file of recorded trajectories, which every environment reads, or one of
 * the kinds of expert the run's environment offers ({@code K}: the toy's scripted expert, WebShop's scripted, LLM and
 * imported experts). An environment's section holds a list of {@code ExpertSetup<ItsKinds>}, so a config cannot hold
 * an expert of another environment.
 *
 * @param <K> the environment's own expert kinds
 */
public sealed interface ExpertSetup<K> {

  /** The expert's name, unique in a run; it names a folder. */
  String name();

  /** The entry's {@code kind}, as the config writes it. */
  String kind();

  /** {@code {name, kind: file, path}}: eef4j-trajectories recorded elsewhere, the path relative to the config. */
  record Recorded<K>(String name, Path file) implements ExpertSetup<K> {
    public Recorded {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(file, "file");
    }

    @Override
    public String kind() {
      return FILE;
    }

    /** The source the pipeline reads: any environment's trajectories in eef4j's format. */
    public ExpertSource source() {
      return new ExpertSource.Recorded(name, file);
    }
  }

  /** One of the environment's own kinds, with its keys. */
  record Own<K>(String name, String kind, K setup) implements ExpertSetup<K> {
    public Own {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(setup, "setup");
    }
  }

  String FILE = "file";

  /** Reads one entry of one of an environment's own kinds; checks its keys ({@code name} and {@code kind} among them). */
  @FunctionalInterface
  interface Reader<K> {
    K read(ConfigNode entry, Path base);
  }

  /**
   * Reads {@code experts}: at least one; names of letters, digits, '.', '_' or '-' (a name is a folder), each once;
   * each entry of kind {@code file} or one of {@code kinds} (in the order an error lists them).
   *
   * @param environment the environment's kind, for errors
   */
  static <K> List<ExpertSetup<K>> readAll(ConfigNode n, Path base, String environment, Map<String, Reader<K>> kinds) {
    List<ExpertSetup<K>> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Map<String, Reader<K>> all = new LinkedHashMap<>(kinds);
    for (ConfigNode e : n.list()) {
      String kind = e.get("kind").text();
      if (!kind.equals(FILE) && !all.containsKey(kind)) {
        List<String> offered = new ArrayList<>(all.keySet());
        offered.add(FILE);
        throw e.get("kind").error("'" + kind + "' does not act in the configured environment (" + environment
            + ", whose experts are " + String.join(", ", offered) + ")");
      }
      String name = e.get("name").text();
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw e.get("name").error("'" + name + "' must be letters, digits, '.', '_' or '-' (it names a folder)");
      }
      if (!names.add(name)) {
        throw e.get("name").error("two experts are named " + name);
      }
      if (kind.equals(FILE)) {
        e.onlyKeys("name", "kind", "path");
        Path p = base.resolve(e.get("path").text());
        if (!Files.isRegularFile(p)) {
          throw e.get("path").error("no such file: " + p);
        }
        out.add(new Recorded<>(name, p));
      } else {
        out.add(new Own<>(name, kind, all.get(kind).read(e, base)));
      }
    }
    if (out.isEmpty()) {
      throw n.error("at least one expert");
    }
    return out;
  }
}
