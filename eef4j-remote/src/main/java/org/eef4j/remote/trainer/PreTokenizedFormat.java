package org.eef4j.remote.trainer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.format.AtomicFiles;

/**
 * The pre-tokenized training files, JSON Lines that TRL and axolotl read as they are (one object a line; the format
 * name and version are in the stage's manifest, {@link TrainerManifest}, since these readers take no header line).
 *
 * <p>SFT rows ({@code *.tokens.jsonl}), fields in order:
 * <ol>
 *   <li>{@code id}: where the conversation came from;
 *   <li>{@code input_ids}: the rendered conversation's token ids;
 *   <li>{@code assistant_masks}: 1 on the tokens the loss counts, 0 elsewhere (TRL's SFTTrainer with
 *       {@code assistant_only_loss=True} reads this column of a pre-tokenized dataset);
 *   <li>{@code labels}: {@code input_ids} where the mask is 1 and -100 elsewhere, and {@code attention_mask}: all 1
 *       (axolotl's pre-tokenized rows);
 *   <li>{@code weight} (optional): the example's loss weight; absent means 1.
 * </ol>
 * Preference rows ({@code *.pairs.tokens.jsonl}): {@code id}, TRL's {@code prompt_input_ids},
 * {@code chosen_input_ids}, {@code rejected_input_ids}, and {@code chosen_assistant_masks},
 * {@code rejected_assistant_masks} over each continuation ({@link PairRow} says why).
 */
public final class PreTokenizedFormat {

  public static final String FORMAT = "eef4j-pretokenized";
  public static final int VERSION = 1;
  /** The label that tells PyTorch's cross-entropy (and so transformers, TRL and axolotl) to skip a position. */
  public static final int IGNORE = -100;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  private PreTokenizedFormat() {}

  /** Writes SFT rows atomically. */
  public static void write(Path file, List<TokenRow> rows) {
    AtomicFiles.write(file, out -> {
      JsonGenerator g = FACTORY.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      for (TokenRow r : rows) {
        int[] ids = r.inputIds();
        int[] mask = r.assistantMasks();
        g.writeStartObject();
        g.writeStringField("id", r.id());
        array(g, "input_ids", ids);
        array(g, "assistant_masks", mask);
        int[] labels = new int[ids.length];
        int[] attention = new int[ids.length];
        for (int t = 0; t < ids.length; t++) {
          labels[t] = mask[t] == 1 ? ids[t] : IGNORE;
          attention[t] = 1;
        }
        array(g, "labels", labels);
        array(g, "attention_mask", attention);
        g.writeEndObject();
        g.writeRaw('\n');
      }
      g.flush();
    });
  }

  /** Writes preference rows atomically. */
  public static void writePairs(Path file, List<PairRow> rows) {
    AtomicFiles.write(file, out -> {
      JsonGenerator g = FACTORY.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      for (PairRow r : rows) {
        g.writeStartObject();
        g.writeStringField("id", r.id());
        array(g, "prompt_input_ids", r.promptIds());
        array(g, "chosen_input_ids", r.chosenIds());
        array(g, "rejected_input_ids", r.rejectedIds());
        array(g, "chosen_assistant_masks", r.chosenMasks());
        array(g, "rejected_assistant_masks", r.rejectedMasks());
        g.writeEndObject();
        g.writeRaw('\n');
      }
      g.flush();
    });
  }

  private static void array(JsonGenerator g, String name, int[] values) throws IOException {
    g.writeFieldName(name);
    g.writeArray(values, 0, values.length);
  }

  /** A row read back, with its weight (1 when the file gives none). */
  public record Weighted(TokenRow row, double weight) {}

  /**
   * Reads SFT rows: {@code input_ids} and {@code assistant_masks} are required; {@code labels}, when present, must
   * agree with them (a file whose columns disagree would train on something else in another trainer).
   *
   * @throws IllegalArgumentException naming the file and line of the first malformed row
   */
  public static List<Weighted> read(Path file) {
    List<Weighted> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) continue;
        String where = file + ":" + number;
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(where + ": not a JSON object: " + e.getMessage());
        }
        if (!n.isObject()) throw new IllegalArgumentException(where + ": not a JSON object");
        int[] ids = ints(n, "input_ids", where);
        int[] mask = ints(n, "assistant_masks", where);
        if (ids.length != mask.length) {
          throw new IllegalArgumentException(where + ": " + ids.length + " input_ids but " + mask.length + " assistant_masks");
        }
        for (int t = 0; t < ids.length; t++) {
          if (ids[t] < 0) throw new IllegalArgumentException(where + ": input_ids[" + t + "] is negative");
          if (mask[t] != 0 && mask[t] != 1) {
            throw new IllegalArgumentException(where + ": assistant_masks[" + t + "] is " + mask[t] + ", not 0 or 1");
          }
        }
        if (n.has("labels")) {
          int[] labels = ints(n, "labels", where);
          for (int t = 0; t < ids.length; t++) {
            int want = mask[t] == 1 ? ids[t] : IGNORE;
            if (t >= labels.length || labels[t] != want) {
              throw new IllegalArgumentException(where + ": labels[" + t + "] disagrees with input_ids and assistant_masks");
            }
          }
        }
        double weight = 1;
        if (n.has("weight")) {
          if (!n.get("weight").isNumber() || !(n.get("weight").asDouble() >= 0)) {
            throw new IllegalArgumentException(where + ": weight must be a number >= 0");
          }
          weight = n.get("weight").asDouble();
        }
        String id = n.path("id").asText(file.getFileName() + ":" + number);
        out.add(new Weighted(new TokenRow(id, ids, mask, List.of()), weight));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Whether a JSON Lines file holds pre-tokenized rows (its first row has {@code input_ids}), not chat messages. */
  public static boolean isPreTokenized(Path file) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) continue;
        try {
          return JSON.readTree(line).has("input_ids");
        } catch (IOException e) {
          return false;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static int[] ints(JsonNode n, String field, String where) {
    JsonNode a = n.get(field);
    if (a == null || !a.isArray()) throw new IllegalArgumentException(where + ": no " + field + " array");
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = a.get(i);
      if (!v.canConvertToInt() || !v.isIntegralNumber()) {
        throw new IllegalArgumentException(where + ": " + field + "[" + i + "] is not an integer");
      }
      out[i] = v.asInt();
    }
    return out;
  }
}
