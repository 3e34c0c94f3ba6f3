package org.eef4j.sciworld.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/**
 * The ScienceWorld simulator jar a user points eef4j at: the fat jar that ScienceWorld's Python wheel ships as
 * {@code scienceworld/scienceworld.jar} (the simulator with scala-library and scala-parser-combinators inside), found
 * by {@link #locate} and checked by {@link #open}.
 *
 * @param path the jar
 * @param version the simulator's version from the jar's manifest ({@code Implementation-Version}), or "unknown"
 * @param typeTable the simulator's type-id table ({@code object_type_ids.tsv}) beside the jar, as the wheel places it;
 *     empty when there is none (the simulator then numbers types as it meets them)
 */
public record SimulatorJar(Path path, String version, Optional<Path> typeTable) {

  /** The environment variable that names the jar when no option or config key does. */
  public static final String ENV_VAR = "EEF4J_SCIWORLD_JAR";
  /** The class the Python package drives, and so the one entry point every released jar has. */
  public static final String ENTRY_CLASS = "scienceworld.runtime.pythonapi.PythonInterface";
  /** The type-id table's file name, which the simulator reads from its working directory. */
  public static final String TYPE_TABLE = "object_type_ids.tsv";

  /** The first version that lists objects in a repeatable order (1.2.x lists them in identity-hash order). */
  private static final int[] FIRST_REPEATABLE = {1, 3, 0};

  /**
   * The jar to use: {@code explicit} (a {@code --jar} option, or a run config's key) when given, else the environment
   * variable {@value #ENV_VAR}; an error saying both ways when neither names one.
   */
  public static SimulatorJar locate(Path explicit, Map<String, String> environment) {
    if (explicit != null) {
      return open(explicit);
    }
    String fromEnv = environment.get(ENV_VAR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return open(Path.of(fromEnv.strip()));
    }
    throw new SimulatorJarException("no ScienceWorld simulator jar given: pass --jar PATH, or set " + ENV_VAR
        + "; the jar is scienceworld/scienceworld.jar inside ScienceWorld's Python wheel (pip download"
        + " scienceworld==1.3.0, then unzip the .whl)");
  }

  /** Checks that {@code path} is a ScienceWorld simulator jar and reads its version. */
  public static SimulatorJar open(Path path) {
    Path jar = path.toAbsolutePath().normalize();
    if (!Files.exists(jar)) {
      throw new SimulatorJarException("ScienceWorld simulator jar " + jar + " does not exist (expected"
          + " scienceworld.jar from ScienceWorld's Python wheel)");
    }
    if (!Files.isRegularFile(jar)) {
      throw new SimulatorJarException(jar + " is not a file (expected the ScienceWorld simulator jar,"
          + " scienceworld.jar from ScienceWorld's Python wheel)");
    }
    String version;
    try (JarFile file = new JarFile(jar.toFile())) {
      String entry = ENTRY_CLASS.replace('.', '/') + ".class";
      if (file.getEntry(entry) == null) {
        throw new SimulatorJarException(jar + " is a jar but not ScienceWorld's simulator: it has no " + entry
            + " (expected scienceworld.jar from ScienceWorld's Python wheel)");
      }
      if (file.getEntry("scala/Console$.class") == null) {
        throw new SimulatorJarException(jar + " has ScienceWorld's classes but no scala-library inside: expected the"
            + " self-contained jar that ScienceWorld's Python wheel ships (sbt assembly), not the thin build output");
      }
      Manifest manifest = file.getManifest();
      String declared = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
      version = declared == null || declared.isBlank() ? "unknown" : declared.strip();
    } catch (ZipException e) {
      throw new SimulatorJarException(jar + " is not a jar (" + e.getMessage() + "); expected the ScienceWorld"
          + " simulator jar, scienceworld.jar from ScienceWorld's Python wheel");
    } catch (IOException e) {
      throw new SimulatorJarException("cannot read ScienceWorld simulator jar " + jar + ": " + e.getMessage());
    }
    Path table = jar.resolveSibling(TYPE_TABLE);
    return new SimulatorJar(jar, version, Files.isRegularFile(table) ? Optional.of(table) : Optional.empty());
  }

  /**
   * Whether the same task, variation and actions give the same observations on every load. 1.2.x lists the objects
   * of a room in identity-hash order ({@code EnvObject} overrides {@code equals} but not {@code hashCode}), which
   * changes between loads; 1.3.0 enumerates them deterministically. A jar of unknown version counts as not repeatable.
   */
  public boolean replayExact() {
    int[] v = parseVersion(version);
    if (v == null) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      if (v[i] != FIRST_REPEATABLE[i]) {
        return v[i] > FIRST_REPEATABLE[i];
      }
    }
    return true;
  }

  /** What a run's records say about this simulator: its version and whether replay is exact. */
  public String describe() {
    return "ScienceWorld " + version + " (" + path + "); replay "
        + (replayExact() ? "exact: the same task, variation and actions give the same observations"
            : "NOT exact: this version lists objects in identity-hash order, so observations of the same task and"
                + " actions can differ between loads; EEF's restarts from expert states are then approximate. Use"
                + " 1.3.0 or later for exact replay");
  }

  private static int[] parseVersion(String version) {
    String[] parts = version.split("[.\\-+]");
    if (parts.length < 3) {
      return null;
    }
    int[] v = new int[3];
    try {
      for (int i = 0; i < 3; i++) {
        v[i] = Integer.parseInt(parts[i]);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return v;
  }
}
