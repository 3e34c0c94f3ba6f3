package org.eef4j.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eef4j.core.agent.ContextWindow;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.pipeline.Method;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.core.pipeline.TrainingCheckpoints;
import org.eef4j.core.pipeline.StudentModel;
import org.eef4j.core.pipeline.WindowedTraining;
import org.eef4j.engine.lora.LoraAdapter;
import org.eef4j.engine.lora.PeftFiles;
import org.eef4j.remote.policy.RemoteStudent;
import org.eef4j.student.tokens.ChatTokens;
import org.eef4j.remote.trainer.ChatEncoder;
import org.eef4j.remote.trainer.RemoteCommandTraining;
import org.eef4j.remote.trainer.CommandTrainedStudents;
import org.eef4j.remote.trainer.TrainerCommand;
import org.eef4j.remote.trainer.TrainerOutput;
import org.eef4j.student.EngineStudent;
import org.eef4j.student.EngineStudentFactory;
import org.eef4j.student.ReplyStyle;
import org.eef4j.student.train.SftOptions;

/**
 * The {@code trainer:} part of a run config: who trains the student at each training stage.
 *
 * <pre>
 * trainer:
 *   kind: embedded            # the default: the engine trains in-process
 *   checkpoint_every: 50      # optimizer steps between saves of a training stage's progress (resumes inside it)
 * trainer:
 *   kind: command             # an external trainer per stage, fed the stage's pre-tokenized rows
 *   command: "{eef4j} sft --model {model} --data {data} --out {out} --seed {seed} --epochs {epochs} --lr {lr}"
 *   dpo_command: "..."        # ETO's DPO stages (required when the methods include eto)
 *   result: "{out}/final"     # where the finished model (PEFT adapter or HF checkpoint) is; default {out}
 *   hyperparameters: {lora_rank: 64}   # written to each stage's manifest, and placeholders; the engine student's
 *                             # sft options come first (epochs, lr, warmup, tokens_per_batch, weight_decay, max_grad_norm)
 *   max_seq: 2048             # the trainer's context; default the student's max_seq
 *   allow_truncation: false   # rows longer than max_seq fail the stage's mask audit unless true
 *   base_model: DIR           # the base model's directory, when the student was read from one; default: saved into
 *                             # the run directory (inputs/trainer-base)
 * </pre>
 *
 * The placeholders are {@link TrainerCommand}'s; the command runs in the config file's directory. What a stage writes
 * is {@link CommandTrainedStudents}'.
 */
sealed interface TrainerSetup {

  /** The engine trains in-process (today's behaviour). */
  record Embedded() implements TrainerSetup {}

  /** An external command trains each stage. */
  record Command(String sft, String dpo, String result, Map<String, String> hyperparameters, Optional<Integer> maxSeq,
      boolean allowTruncation, Path workDir, Optional<Path> baseModel) implements TrainerSetup {}

  /**
   * {@code trainer.checkpoint_every} (embedded trainer only): optimizer steps between a training stage's saves of its
   * progress, so that a killed run continues inside the stage; 50 when left out ({@link TrainingCheckpoints}).
   */
  static int checkpointEvery(ConfigNode n) {
    if (n == null || !n.has("checkpoint_every")) return TrainingCheckpoints.DEFAULT_EVERY;
    int every = n.get("checkpoint_every").integer();
    if (every < 1) throw n.get("checkpoint_every").error("must be >= 1");
    return every;
  }

  static TrainerSetup parse(ConfigNode n, Path base, StudentSetup<?> student, List<Method> methods) {
    if (n == null) return new Embedded();
    String kind = n.get("kind").text();
    return switch (kind) {
      case "embedded" -> {
        n.onlyKeys("kind", "checkpoint_every");
        yield new Embedded();
      }
      case "command" -> {
        n.onlyKeys("kind", "command", "dpo_command", "result", "hyperparameters", "max_seq", "allow_truncation",
            "base_model");
        if (student instanceof StudentSetup.Remote<?> r) {
          // a served student trains from the served model's own files, under the previous adapter where it continues one
          if (r.setup().tokenizer() == null) {
            throw n.get("kind").error("a command trainer for a remote student needs its tokenizer (a token api)");
          }
          if (!n.has("base_model")) {
            throw n.error("a command trainer for a remote student needs base_model: the served model's directory");
          }
        } else if (student.engine().isEmpty()) {
          throw n.get("kind").error("a command trainer needs a student with a tokenizer and chat template (engine)");
        }
        String dpo = n.has("dpo_command") ? n.get("dpo_command").text() : null;
        if (dpo == null && methods.stream().anyMatch(m -> m instanceof Method.Eto)) {
          throw n.error("the methods include eto, whose DPO stages need dpo_command");
        }
        Map<String, String> hyper = new LinkedHashMap<>();
        if (n.has("hyperparameters")) {
          ConfigNode h = n.get("hyperparameters");
          if (!h.isObject()) throw h.error("expected a mapping of names to values");
          h.node().fieldNames().forEachRemaining(k -> hyper.put(k, h.get(k).text()));
        }
        Optional<Integer> maxSeq = Optional.empty();
        if (n.has("max_seq")) {
          int s = n.get("max_seq").integer();
          if (s < 2) throw n.get("max_seq").error("must be >= 2");
          maxSeq = Optional.of(s);
        }
        Optional<Path> baseModel = Optional.empty();
        if (n.has("base_model")) {
          Path p = base.resolve(n.get("base_model").text());
          if (!Files.isRegularFile(p.resolve("config.json"))) {
            throw n.get("base_model").error(p + " is not a model directory (no config.json)");
          }
          baseModel = Optional.of(p);
        }
        Command c = new Command(n.get("command").text(), dpo, n.text("result", "{out}"), hyper, maxSeq,
            n.bool("allow_truncation", false), base, baseModel);
        try {
          settings(c, SftOptions.defaults(), "eef4j"); // the placeholders are checked now, not at the first stage
        } catch (IllegalArgumentException e) {
          throw n.error(e.getMessage());
        }
        yield c;
      }
      default -> throw n.get("kind").error("'" + kind + "' is not one of embedded, command");
    };
  }

  /**
   * The students the pipeline trains: the engine's (windowed when rollouts see a window) as they are, or trained by
   * the command.
   */
  default StudentFactory students(StudentFactory students, EngineStudentFactory engine, EngineStudentSetup setup,
      ReactPrompt prompt, ContextWindow window, Path runDir, Consumer<String> log) {
    if (!(this instanceof Command c)) return students;
    EngineStudent base = engine.base();
    ChatEncoder encoder = encoder(base, setup, prompt, window);
    int context = context(base, setup);
    TrainerCommand command = settings(c, setup.sft().withBatch(setup.sft().tokensPerBatch(), context), Launcher.command());
    return new CommandTrainedStudents(students, encoder, command, runDir, c.baseModel().orElse(null),
        (result, start) -> load(engine, result, start), log);
  }

  /** A served student as it is, or trained by the command from the served model's directory. */
  default StudentFactory remoteStudents(RemoteStudent.Factory served, ChatTokens tokens, Path runDir,
      Consumer<String> log) {
    if (!(this instanceof Command c)) return served;
    SftOptions sft = SftOptions.defaults();
    TrainerCommand command = settings(c, sft, Launcher.command());
    return RemoteCommandTraining.students(served, tokens, command, runDir, c.baseModel().orElseThrow(), log);
  }

  /**
   * The engine student's training rows, exactly as it trains: its chat template and tokenizer, over the examples cut
   * to the rollouts' window and read in its reply style.
   */
  static ChatEncoder encoder(EngineStudent base, EngineStudentSetup setup, ReactPrompt prompt, ContextWindow window) {
    ReplyStyle style = setup.style();
    int prefix = prompt.trainingPrefix().size();
    return new ChatEncoder(base.format().template(), base.tokenizer(),
        examples -> WindowedTraining.cut(examples, prefix, window).stream().map(style::example).toList(),
        style::pair);
  }

  /** The engine's training context: rows are cut to it. */
  static int context(EngineStudent base, EngineStudentSetup setup) {
    return Math.min(setup.sft().maxSeq(), base.params().layout().config().maxPositionEmbeddings());
  }

  /** A checkpoint as it is; an adapter merged into the model it was trained on. */
  private static StudentModel load(EngineStudentFactory engine, TrainerOutput.Result result, Path start) {
    return switch (result.kind()) {
      case CHECKPOINT -> engine.load(result.dir());
      case ADAPTER -> {
        EngineStudent s = engine.load(start);
        LoraAdapter adapter = PeftFiles.load(result.dir(), s.params().layout().config());
        adapter.mergeInto(s.params());
        yield s.copy(); // a fresh policy over the merged weights
      }
    };
  }

  /** The command's settings, with the student's SFT options as the first hyperparameters. */
  private static TrainerCommand settings(Command c, SftOptions sft, String launcher) {
    Map<String, String> hyper = new LinkedHashMap<>();
    hyper.put("epochs", Integer.toString(sft.epochs()));
    hyper.put("lr", Double.toString(sft.lr()));
    hyper.put("warmup", Double.toString(sft.warmupFraction()));
    hyper.put("tokens_per_batch", Integer.toString(sft.tokensPerBatch()));
    hyper.put("weight_decay", Double.toString(sft.weightDecay()));
    hyper.put("max_grad_norm", Double.toString(sft.maxGradNorm()));
    int maxSeq = c.maxSeq().orElse(sft.maxSeq());
    hyper.put("max_seq", Integer.toString(maxSeq));
    hyper.putAll(c.hyperparameters());
    return new TrainerCommand(c.sft(), c.dpo(), c.result(), hyper, maxSeq, c.allowTruncation(), c.workDir(), launcher);
  }
}
