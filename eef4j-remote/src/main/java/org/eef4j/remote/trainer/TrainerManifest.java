package org.eef4j.remote.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The manifest beside a stage's exported data ({@code manifest.json}), what a trainer needs besides the rows: fields
 * in order, {@code format} ("eef4j-trainer-stage") and {@code version}, {@code kind} ("sft" or "dpo"), {@code stage}
 * (the run's label for it), {@code data} (path, row format and version, columns, rows, tokens, trained tokens),
 * {@code base_model} (the directory training starts from), {@code tokenizer} (vocabulary size, SHA-256 of the start
 * model's tokenizer.json), {@code chat_template_sha256}, {@code end_of_turn_ids}, {@code hyperparameters} (as the
 * config gives them, strings), {@code seed}, {@code output_dir}, {@code result} (where the finished model must be) and
 * {@code command} (the line that runs).
 */
public final class TrainerManifest {

  public static final String FORMAT = "eef4j-trainer-stage";
  public static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainerManifest() {}

  static ObjectNode of(String kind, String stage, Path data, MaskAudit audit, Path base, Path startAdapter,
      ChatEncoder encoder, TrainerCommand command, long seed, Path out, Path result, String line) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT).put("version", VERSION).put("kind", kind).put("stage", stage);
    ObjectNode d = n.putObject("data");
    d.put("path", data.toAbsolutePath().toString()).put("format", PreTokenizedFormat.FORMAT)
        .put("version", PreTokenizedFormat.VERSION);
    var columns = d.putArray("columns");
    if (kind.equals("dpo")) {
      for (String c : new String[] {"id", "prompt_input_ids", "chosen_input_ids", "rejected_input_ids",
          "chosen_assistant_masks", "rejected_assistant_masks"}) columns.add(c);
      d.put("pairs", audit.rows() / 2);
    } else {
      for (String c : new String[] {"id", "input_ids", "assistant_masks", "labels", "attention_mask"}) columns.add(c);
      d.put("rows", audit.rows());
    }
    d.put("tokens", audit.tokens()).put("trained_tokens", audit.trainedTokens()).put("max_length", audit.maxLength());
    n.put("base_model", base.toAbsolutePath().toString());
    // a PEFT adapter over base_model that training continues from (the previous stage's), or null: from base_model
    if (startAdapter != null) n.put("start_adapter", startAdapter.toAbsolutePath().toString());
    else n.putNull("start_adapter");
    ObjectNode t = n.putObject("tokenizer");
    t.put("vocab_size", encoder.tokenizer().vocabSize());
    Path tokenizerJson = base.resolve("tokenizer.json");
    if (Files.isRegularFile(tokenizerJson)) t.put("tokenizer_json_sha256", fileSha256(tokenizerJson));
    n.put("chat_template_sha256", encoder.templateSha256());
    var ends = n.putArray("end_of_turn_ids");
    for (int id : encoder.endOfTurnIds()) ends.add(id);
    ObjectNode h = n.putObject("hyperparameters");
    for (Map.Entry<String, String> e : command.hyperparameters().entrySet()) h.put(e.getKey(), e.getValue());
    h.put("max_seq", Integer.toString(command.maxSeq()));
    n.put("seed", seed);
    n.put("output_dir", out.toAbsolutePath().toString());
    n.put("result", result.toAbsolutePath().toString());
    n.put("command", line);
    return n;
  }

  static String fileSha256(Path file) {
    try (var in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) d.update(buf, 0, r);
      return HexFormat.of().formatHex(d.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
