package org.eef4j.cli.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.format.OpenAiChatFormat;
import org.eef4j.core.method.SftData;
import org.eef4j.core.pipeline.ExpertSource;
import org.eef4j.core.pipeline.Method;
import org.eef4j.core.progress.ProgressListener;
import org.eef4j.core.pipeline.RunStore;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.remote.trainer.ChatEncoder;
import org.eef4j.remote.trainer.MaskAudit;
import org.eef4j.remote.trainer.TokenRow;
import org.eef4j.student.EngineStudent;

/**
 * {@code eef4j run CONFIG --plan}: what each training stage of a config will train on, counted with the student's own
 * tokenizer and chat template exactly as the trainer export renders and masks it (rows, tokens, trained tokens, the
 * longest row, the mask audit), and what training that costs at 8B parameters. Behaviour cloning's data is built from
 * the expert's trajectories; an iteration's data exists only once its exploration ran, so a stage the run directory
 * already holds is counted and one it does not is bounded.
 *
 * <p>Cost model (docs/trainers.md): a training token costs 6·N FLOPs with full fine-tuning (forward 2N, backward 4N)
 * and about 4·N with LoRA (no weight gradients for the frozen base), over every token of a row (the context is
 * computed even where the loss is 0), times the epochs; wall time at {@link #MFU} of an H100's dense bf16 peak.
 */
final class RunPlan {

  /** Llama-3-8B's parameters. */
  static final double PARAMS_8B = 8.03e9;
  /** An H100 SXM's dense bf16 peak, FLOP/s. */
  static final double H100_PEAK = 989e12;
  /** The share of the peak a well-tuned fine-tuning run reaches (FSDP / ZeRO-3 on one node typically 30-50%). */
  static final double MFU = 0.4;

  private RunPlan() {}

  static int print(RunConfig cfg, Path dir, PrintWriter out, PrintWriter err) {
    if (cfg.student().engine().isEmpty()) {
      throw new UserInputException(cfg.source() + ": --plan counts tokens with the student's tokenizer: it needs the"
          + " engine student (a tokenizer trained from scratch, or a model directory's)");
    }
    EngineStudentSetup student = cfg.student().engine().get();
    boolean existing = Files.isDirectory(dir);
    Path work;
    try {
      work = existing ? dir : Files.createTempDirectory("eef4j-plan");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    try {
      err.println("eef4j: planning " + cfg.source() + (existing ? " with the stages in " + dir : ""));
      err.flush();
      EnvironmentSetup.World world = cfg.environment().open(work);
      ReactPrompt prompt = world.prompt();
      ExpertSetup<?> first = cfg.experts().getFirst();
      Path played = new RunStore(dir).expertDir(first.name()).resolve("train.trajectories.jsonl");
      if (!(existing && Files.isRegularFile(played)) && first.kind().equals("llm")) {
        throw new UserInputException(cfg.source() + ": --plan does not call the LLM expert '" + first.name() + "' (that"
            + " costs money): run the config until its expert stage is done, then plan with --out on that run directory");
      }
      ExpertSource source = existing && Files.isRegularFile(played)
          ? new ExpertSource.Recorded(first.name(), played) // the run's own expert stage: what it will learn from
          : cfg.environment().expert(0, world, new EnvironmentSetup.RunContext(work, cfg.pipeline(), cfg.trainer(),
              note -> {}));
      List<Trajectory> primary = source.play(world.tasks().train(), p -> {
        throw new IllegalStateException("a recorded expert does not act");
      }, ProgressListener.NONE).trajectories();
      EngineStudent base = student.factory(prompt, primary, work, line -> {}).base();
      ChatEncoder encoder = TrainerSetup.encoder(base, student, prompt, cfg.pipeline().rollout().window());
      int context = TrainerSetup.context(base, student);
      boolean allowCut = !(cfg.trainer() instanceof TrainerSetup.Command c) || c.allowTruncation();
      if (cfg.trainer() instanceof TrainerSetup.Command c && c.maxSeq().isPresent()) context = c.maxSeq().get();
      int epochs = epochs(cfg, student);

      out.printf(Locale.ROOT, "plan: %s, student %s (vocab %d), context %d tokens, %d epoch(s) per stage%n",
          cfg.source(), base.params().layout().config().modelType(), base.tokenizer().vocabSize(), context, epochs);
      out.printf(Locale.ROOT, "%-34s %7s %11s %11s %8s %13s %13s%n", "stage", "rows", "tokens", "trained", "longest",
          "8B LoRA h", "8B full h");
      List<TrainingExample> sft = SftData.build(primary, prompt.trainingPrefix());
      List<TokenRow> sftRows = encoder.rows(sft);
      MaskAudit sftAudit = MaskAudit.of(sftRows, encoder.endOfTurnIds(), context, allowCut);
      row(out, "seed-s/sft (behaviour cloning)", sftAudit, epochs);
      double tokensPerConversation = sft.isEmpty() ? 0 : (double) sftAudit.tokens() / sft.size();
      RunStore store = new RunStore(dir);
      for (long seed : cfg.pipeline().seeds()) {
        for (Method m : cfg.pipeline().methods()) {
          if (!m.iterates()) continue;
          for (int i = 1; i <= cfg.pipeline().iterations(); i++) {
            String label = "seed-" + seed + "/" + m.id() + "/iter-" + i;
            Path data = store.iterationDir(seed, m, i).resolve("train.openai.jsonl");
            if (existing && Files.isRegularFile(data)) {
              MaskAudit a = MaskAudit.of(encoder.rows(OpenAiChatFormat.read(data)), encoder.endOfTurnIds(), context,
                  allowCut);
              row(out, label, a, epochs);
            } else if (m instanceof Method.Eto) {
              out.printf(Locale.ROOT, "%-34s not built yet: at most %d preference pairs (one per expert success)%n",
                  label, primary.stream().filter(Trajectory::success).count());
            } else {
              int conversations = world.tasks().train().size()
                  + (cfg.pipeline().eef().includeExpertSuccesses() ? sft.size() : 0);
              long bound = Math.round(conversations * tokensPerConversation);
              out.printf(Locale.ROOT, "%-34s not built yet: at most ~%d tokens (%d conversations at SFT's mean)%s%n",
                  label, bound, conversations, hours(bound * (long) epochs));
            }
          }
        }
      }
      out.println();
      out.println("behaviour cloning's " + String.join("\n  ", sftAudit.lines()));
      for (String e : sftAudit.errors()) out.println("  error: " + e);
      out.printf(Locale.ROOT, "8B LoRA h: hours on 1 H100 at %.0f%% of its bf16 peak, 4N FLOPs a token; 8B full h: on 8"
          + " H100s, 6N (docs/trainers.md)%n", 100 * MFU);
      out.flush();
      return ExitCodes.OK;
    } finally {
      if (!existing) deleteQuietly(work);
    }
  }

  private static int epochs(RunConfig cfg, EngineStudentSetup student) {
    if (cfg.trainer() instanceof TrainerSetup.Command c && c.hyperparameters().containsKey("epochs")) {
      try {
        return Integer.parseInt(c.hyperparameters().get("epochs"));
      } catch (NumberFormatException e) {
        return student.sft().epochs();
      }
    }
    return student.sft().epochs();
  }

  private static void row(PrintWriter out, String label, MaskAudit a, int epochs) {
    double work = (double) a.tokens() * epochs;
    out.printf(Locale.ROOT, "%-34s %7d %11d %11d %8d %13.2f %13.2f%n", label, a.rows(), a.tokens(), a.trainedTokens(),
        a.maxLength(), 4 * PARAMS_8B * work / (H100_PEAK * MFU) / 3600, 6 * PARAMS_8B * work / (8 * H100_PEAK * MFU) / 3600);
  }

  private static String hours(long tokens) {
    return String.format(Locale.ROOT, "; 8B LoRA %.2f h, full %.2f h", 4 * PARAMS_8B * tokens / (H100_PEAK * MFU) / 3600,
        6 * PARAMS_8B * tokens / (8 * H100_PEAK * MFU) / 3600);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary directory is harmless
    }
  }
}
