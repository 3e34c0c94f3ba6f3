package org.eef4j.remote.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The last training loss a trainer recorded beside its output, for the stage's compute record. */
final class TrainerState {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainerState() {}

  /**
   * From {@code trainer_state.json} in the output or its parent: eef4j's ({@code "loss"}) or transformers' (the last
   * {@code log_history} entry with a {@code loss}); NaN when there is none.
   */
  static double lastLoss(Path result) {
    for (Path dir : new Path[] {result, result.toAbsolutePath().getParent()}) {
      Path f = dir == null ? null : dir.resolve("trainer_state.json");
      if (f == null || !Files.isRegularFile(f)) continue;
      try {
        JsonNode n = JSON.readTree(f.toFile());
        if (n.path("loss").isNumber()) return n.get("loss").asDouble();
        JsonNode history = n.path("log_history");
        for (int i = history.size() - 1; i >= 0; i--) {
          if (history.get(i).path("loss").isNumber()) return history.get(i).get("loss").asDouble();
        }
      } catch (IOException e) {
        return Double.NaN; // a loss figure is informative only; the checked output is what counts
      }
    }
    return Double.NaN;
  }
}
