package org.eef4j.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.Trajectory;

/**
 * ETO's rollout outputs (ETO:eval_agent/main.py, State.to_dict): one file per task, {@code <task id>.json}, so that
 * ETO's construct_preference.py can read our rollouts and we can read ETO's.
 *
 * <p>Layout of a file: {@code {"meta": {"steps", "reward", "finished", "success", "terminate_reason", "error"},
 * "conversations": [{"from", "value"}], "eef4j": {"format": "eto-run-output", "version": 1}}}; the conversation is the
 * whole prompt (instruction, "OK", in-context example: 10 messages for WebShop, ETO's pred_traj_offset) then the
 * episode, its values stripped as ETO strips them. ETO's meta "success" means the episode ended done, whatever the
 * reward; our success (reward 1) is derived from the reward on reading.
 */
public final class EtoRunOutputs {

  public static final FormatTag TAG = new FormatTag("eto-run-output", 1, 1);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EtoRunOutputs() {}

  /**
   * Writes one file per trajectory into {@code dir}.
   *
   * @param fileId the file's name without ".json", which ETO matches against its golden ids (for "webshop_12": "12")
   */
  public static void write(
      Path dir, List<Trajectory> trajectories, List<ChatMessage> inferencePrefix, Function<Trajectory, String> fileId) {
    for (Trajectory t : trajectories) {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      ObjectNode meta = n.putObject("meta");
      meta.put("steps", t.actionCount());
      meta.put("reward", t.reward());
      meta.put("finished", true);
      meta.put("success", t.termination() == Termination.DONE);
      meta.put("terminate_reason", t.termination().etoName());
      meta.putNull("error");
      List<ChatMessage> chat =
          TrainingExamples.chat(t, inferencePrefix).stream()
              .map(m -> new ChatMessage(m.role(), m.content().strip()))
              .toList();
      n.set("conversations", EtoConversationFormat.encodeMessages(chat));
      n.set(FormatTag.FIELD, TAG.toJson());
      AtomicFiles.write(dir.resolve(fileId.apply(t) + ".json"), out -> JSON.writeValue(out, n));
    }
  }

  /**
   * Reads every {@code *.json} file of {@code dir} (sorted by name) as a trajectory from the initial state.
   *
   * @param prefixMessages the prompt's length in messages (WebShop: 10)
   * @param taskIdPrefix prepended to the file name to make the task id ("webshop_")
   */
  public static List<Trajectory> read(
      Path dir, int prefixMessages, Producer producer, double successReward, String taskIdPrefix) {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    List<Trajectory> out = new ArrayList<>(files.size());
    for (Path f : files) {
      JsonNode n;
      try {
        n = JSON.readTree(f.toFile());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new FormatException(
            f, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "malformed JSON: " + e.getOriginalMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
      try {
        out.add(decode(n, f, prefixMessages, producer, successReward, taskIdPrefix));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new FormatException(f, 1, e.getMessage(), e);
      }
    }
    return out;
  }

  private static Trajectory decode(
      JsonNode n, Path f, int prefixMessages, Producer producer, double successReward, String taskIdPrefix) {
    JsonRecords.checkOptionalTag(n, TAG);
    JsonNode meta = n.get("meta");
    if (meta == null || !meta.isObject()) {
      throw new IllegalArgumentException("field 'meta' must be an object");
    }
    String name = f.getFileName().toString();
    String id = name.substring(0, name.length() - ".json".length());
    JsonNode r = meta.get("reward");
    double reward = r == null || r.isNull() ? 0 : r.asDouble();
    String reason = meta.path("terminate_reason").asText("");
    Termination termination =
        switch (reason) {
          case "success" -> Termination.DONE;
          case "max_steps" -> Termination.MAX_STEPS;
          default -> Termination.POLICY_FAILED;
        };
    EtoConversation c =
        new EtoConversation(
            id, EtoConversationFormat.decodeMessages(JsonRecords.array(n, "conversations"), "conversations"), reward);
    Trajectory t = EtoConversations.fromEto(c, prefixMessages, producer, successReward, taskIdPrefix);
    return new Trajectory(
        t.id(), t.taskId(), Start.INITIAL, t.turns(), reward,
        termination == Termination.DONE && reward >= successReward, termination);
  }
}
