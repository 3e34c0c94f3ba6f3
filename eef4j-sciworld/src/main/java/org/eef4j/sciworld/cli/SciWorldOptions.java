package org.eef4j.sciworld.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eef4j.sciworld.agent.SciWorldTasks;
import org.eef4j.sciworld.sim.SimulatorJar;
import picocli.CommandLine.Option;

/** The options every sciworld command shares: which simulator jar, where ETO's SciWorld data is. */
public final class SciWorldOptions {

  @Option(names = "--jar", paramLabel = "PATH",
      description = "ScienceWorld's simulator jar: scienceworld/scienceworld.jar from its Python wheel (pip download "
          + "scienceworld==1.3.0, unzip the .whl). Default: the environment variable " + SimulatorJar.ENV_VAR + ".")
  Path jar;

  @Option(names = "--eto", paramLabel = "DIR",
      description = "ETO's data directory, holding sciworld-splits/ (splits, max_steps.json) and prompts/. "
          + "Default: ../shared/data/eto when it exists.")
  Path eto;

  /** The jar from --jar or the environment variable; a user error naming the path when it is wrong. */
  SimulatorJar jar() {
    return SimulatorJar.locate(jar, System.getenv());
  }

  /** ETO's sciworld-splits directory, or null when none is given and the default is absent. */
  Path splitsOrNull() {
    Path dir = eto != null ? eto : Path.of("..", "shared", "data", "eto");
    Path splits = dir.resolve("sciworld-splits");
    if (Files.isDirectory(splits)) {
      return splits;
    }
    if (eto != null) {
      throw new IllegalArgumentException("--eto " + eto + ": no sciworld-splits directory in it (ETO's"
          + " eval_agent/data/sciworld, with train_indices.json and max_steps.json)");
    }
    return null;
  }

  Path splits() {
    Path splits = splitsOrNull();
    if (splits == null) {
      throw new IllegalArgumentException("ETO's SciWorld splits are needed: pass --eto DIR (its sciworld-splits"
          + " directory holds train_indices.json, dev_indices.json, test_indices.json and max_steps.json)");
    }
    return splits;
  }

  /** ETO's step limits when its data is at hand, else one limit for every task. */
  SciWorldTasks.StepLimits limits(int fallback) {
    Path splits = splitsOrNull();
    return splits == null ? SciWorldTasks.StepLimits.uniform(fallback)
        : SciWorldTasks.StepLimits.read(splits.resolve(SciWorldTasks.MAX_STEPS), fallback);
  }
}
