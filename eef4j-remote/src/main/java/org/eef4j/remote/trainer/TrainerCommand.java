package org.eef4j.remote.trainer;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code trainer: {kind: command}}: the command lines a training stage runs, with the stage's paths filled in.
 *
 * <p>Placeholders: {@code {data}} the stage's pre-tokenized rows, {@code {manifest}} its manifest, {@code {model}} the
 * model directory to start from, {@code {out}} the directory to write into, {@code {seed}} the stage's seed,
 * {@code {stage_dir}} the stage's trainer directory, {@code {eef4j}} the command that runs this eef4j (the same Java
 * and class path), and every hyperparameter by its name ({@code {epochs}}, {@code {lr}}...). Values are shell-quoted;
 * the line runs under {@code /bin/sh -c} in {@code workDir}.
 *
 * @param sft the template for SFT stages (behaviour cloning, RFT, EEF)
 * @param dpo the template for ETO's DPO stages, or null when the run has none
 * @param result where the finished model is, a template over the same placeholders (e.g. {@code {out}/final})
 * @param hyperparameters written to the manifest and offered as placeholders, in order
 * @param maxSeq the trainer's context: the audit calls longer rows truncated
 * @param allowTruncation whether rows longer than {@code maxSeq} are allowed (the trainer cuts them)
 * @param workDir where the command runs (the config file's directory)
 * @param launcher what {@code {eef4j}} stands for, already a shell word list
 */
public record TrainerCommand(String sft, String dpo, String result, Map<String, String> hyperparameters, int maxSeq,
    boolean allowTruncation, java.nio.file.Path workDir, String launcher) {

  /** The placeholders every stage fills in. */
  public static final List<String> STAGE_PLACEHOLDERS =
      List.of("data", "manifest", "model", "adapter", "out", "seed", "stage_dir", "eef4j");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

  public TrainerCommand {
    Objects.requireNonNull(sft, "sft");
    Objects.requireNonNull(result, "result");
    hyperparameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(launcher, "launcher");
    if (maxSeq < 2) throw new IllegalArgumentException("max_seq must be at least 2, got " + maxSeq);
    for (String key : hyperparameters.keySet()) {
      if (STAGE_PLACEHOLDERS.contains(key)) {
        throw new IllegalArgumentException("hyperparameter '" + key + "' would hide the stage's {" + key + "}");
      }
    }
    for (String t : dpo == null ? List.of(sft, result) : List.of(sft, dpo, result)) {
      Set<String> unknown = new LinkedHashSet<>(placeholders(t));
      unknown.removeAll(STAGE_PLACEHOLDERS);
      unknown.removeAll(hyperparameters.keySet());
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown placeholder {" + unknown.iterator().next() + "} in '" + t
            + "' (known: " + String.join(", ", STAGE_PLACEHOLDERS) + (hyperparameters.isEmpty() ? "" : ", ")
            + String.join(", ", hyperparameters.keySet()) + ")");
      }
    }
  }

  /** The names a template uses. */
  static List<String> placeholders(String template) {
    Matcher m = PLACEHOLDER.matcher(template);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /**
   * A template with the stage's values in place: each value shell-quoted, except {@code {eef4j}}, which is a command.
   */
  public String expand(String template, Map<String, String> stage, boolean quote) {
    Map<String, String> values = new LinkedHashMap<>(hyperparameters);
    values.putAll(stage);
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String v = name.equals("eef4j") ? launcher : values.get(name);
      if (v == null) throw new IllegalArgumentException("no value for {" + name + "} in '" + template + "'");
      m.appendReplacement(out, Matcher.quoteReplacement(quote && !name.equals("eef4j") ? shellQuote(v) : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A word the shell reads back as exactly {@code s}. */
  static String shellQuote(String s) {
    if (s.matches("[A-Za-z0-9_./:=@%+,-]+")) return s;
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
