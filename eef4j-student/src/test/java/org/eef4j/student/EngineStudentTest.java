package org.eef4j.student;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.agent.Trainer;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.engine.generate.GeneratorOptions;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.student.train.DpoOptions;
import org.eef4j.student.train.SftOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny student made from scratch learns a reply, saves and loads back exactly, and runs DPO. */
class EngineStudentTest {

  static final ModelConfig SHAPE = new ModelConfig("llama", 1, 32, 64, 2, 4, 2, 8, 1e-5, 10000, true, false, false, 128);

  /** Free replies, read through WebShop's view: its copying drills are what the warm-up trains on. */
  static final EngineStudent.Options OPTIONS = new EngineStudent.Options(
      new SftOptions(40, 1e-2, 0.05, 512, 128, 0.0, 1.0),
      new DpoOptions(2, 1e-3, 0.0, 0.1, 2, 128, 1.0),
      GeneratorOptions.defaults(),
      new ReplyStyle(true, false, org.eef4j.student.decoding.QueryStyle.FREE,
          org.eef4j.webshop.view.WebShopView.AS_WRITTEN));

  /** The test shape over a 300-token whole-words tokenizer, seed 7. */
  static EngineStudentFactory.Recipe recipe() {
    return EngineStudentFactory.Recipe.of(SHAPE, 300, BpeTrainer.WHOLE_WORDS_PATTERN, 7);
  }

  static EngineStudentFactory factory() {
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      corpus.add("Instruction: find red shoes size " + i + ". Observation: results page " + i);
      corpus.add("Action: search[red shoes " + i + "] Action: click[buy now]");
    }
    return EngineStudentFactory.fromScratch(recipe(), corpus, OPTIONS, s -> {});
  }

  static final List<ChatMessage> PROMPT = List.of(ChatMessage.user("Instruction: find red shoes size 3."));

  static List<TrainingExample> examples() {
    return List.of(new TrainingExample("e1", List.of(
        new TrainingMessage(Role.USER, PROMPT.getFirst().content(), false),
        new TrainingMessage(Role.ASSISTANT, "Action: click[buy now]", true))));
  }

  static String greedy(EngineStudent s) {
    Reply r = s.generate(List.of(new GenerationRequest(PROMPT, 1)), new SamplingParams(0, 1, 16, List.of()))
        .getFirst();
    return ((Reply.Text) r).text();
  }

  @Test
  void aFromScratchStudentLearnsAReplyAndItsCopiesAreIndependent() {
    EngineStudentFactory factory = factory();
    assertThat(factory.describe()).contains("from scratch").contains("d=32").contains("whole words tokenizer");
    EngineStudent student = factory.base();
    EngineStudent untouched = factory.base();
    String before = greedy(student);
    assertThat(before).isNotEqualTo("Action: click[buy now]");

    Trainer.TrainingReport report = student.train(examples(), 3);
    assertThat(report.examples()).isEqualTo(40);
    int target = student.tokenizer().encode("Action: click[buy now]", false).length + 1;
    assertThat(report.trainedTokens()).isEqualTo(40L * target);
    assertThat(report.finalLoss()).as("from ln(vocab) ≈ 5.7").isLessThan(0.5);
    assertThat(greedy(student)).isEqualTo("Action: click[buy now]");
    assertThat(greedy(untouched)).isEqualTo(before);
    assertThat(untouched.params().data()).isEqualTo(factory.base().params().data());
  }

  @Test
  void saveAndLoadRoundTripExactly(@TempDir Path dir) {
    EngineStudentFactory factory = factory();
    EngineStudent student = factory.base();
    student.train(examples(), 5);
    student.save(dir);
    EngineStudent loaded = factory.load(dir);
    assertThat(loaded.params().data()).isEqualTo(student.params().data());
    assertThat(loaded.params().layout().config()).isEqualTo(student.params().layout().config());
    assertThat(loaded.format()).isEqualTo(student.format());
    assertThat(loaded.tokenizer().vocabSize()).isEqualTo(student.tokenizer().vocabSize());
    SamplingParams sampling = new SamplingParams(1.0, 0.95, 12, List.of());
    List<GenerationRequest> requests = List.of(new GenerationRequest(PROMPT, 11), new GenerationRequest(
        List.of(ChatMessage.user("Observation: results page 4")), 12));
    assertThat(loaded.generate(requests, sampling)).isEqualTo(student.generate(requests, sampling));
    // and a from-checkpoint factory over the saved directory starts from the same weights
    assertThat(EngineStudentFactory.fromCheckpoint(dir, OPTIONS, s -> {}).base().params().data())
        .isEqualTo(student.params().data());
  }

  @Test
  void preferenceTrainingRunsOverEtoPairs() {
    EngineStudent student = factory().base();
    List<PreferencePair> pairs = List.of(
        new PreferencePair("p1", PROMPT, List.of(ChatMessage.assistant("Action: click[buy now]")),
            List.of(ChatMessage.assistant("Action: search[red shoes 3]"))),
        new PreferencePair("p2", List.of(ChatMessage.user("Observation: results page 4")),
            List.of(ChatMessage.assistant("Action: click[buy now]")),
            List.of(ChatMessage.assistant("Action: search[shoes]"), ChatMessage.user("Observation: none"),
                ChatMessage.assistant("Action: search[red]"))));
    float[] before = student.params().data().clone();
    Trainer.TrainingReport r = student.trainPreferences(pairs, 1);
    assertThat(r.examples()).isEqualTo(4);
    assertThat(r.finalLoss()).isFinite().isLessThan(Math.log(2));
    assertThat(student.params().data()).isNotEqualTo(before);
  }

  @Test
  void aWarmedUpBaseIsKeptInItsCacheAndReadBackInsteadOfBuiltAgain(@TempDir Path dir) {
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 30; i++) corpus.add("Instruction: find red shoes and blue hats size " + i + ". Action: click[buy now]");
    org.eef4j.student.train.CopyWarmup warmup = new org.eef4j.student.train.CopyWarmup(40, 1, 1e-3, 256, 0, 1);
    Path cache = dir.resolve("base");
    List<String> logged = new ArrayList<>();
    EngineStudentFactory built = EngineStudentFactory.fromScratch(recipe().withWarmup(warmup), corpus, null, cache,
        OPTIONS, logged::add);
    assertThat(logged).anyMatch(l -> l.startsWith("copy warm-up: 40 conversations"))
        .anyMatch(l -> l.matches("copy warm-up: \\d+ of 40 held-out copies exact"));
    assertThat(built.describe()).containsPattern("copy warm-up \\(lists\\) 40 conversations x 1 epochs, \\d+ of 40 "
        + "held-out copies exact, vocab");
    assertThat(cache.resolve("config.json")).isRegularFile();
    // the warm-up changed the weights: a base built without it differs
    EngineStudentFactory cold = EngineStudentFactory.fromScratch(recipe(), corpus, OPTIONS, s -> {});
    assertThat(built.base().params().data()).isNotEqualTo(cold.base().params().data());
    List<String> again = new ArrayList<>();
    EngineStudentFactory kept = EngineStudentFactory.fromScratch(recipe().withWarmup(warmup), corpus, null, cache,
        OPTIONS, again::add);
    assertThat(again).noneMatch(l -> l.startsWith("copy warm-up"));
    assertThat(kept.base().params().data()).isEqualTo(built.base().params().data());
    assertThat(kept.describe()).isEqualTo(built.describe()).contains("copy warm-up (lists) 40 conversations");
    // a resumed run whose config changed the spread still describes the base it reads, as it was built
    EngineStudentFactory changed = EngineStudentFactory.fromScratch(recipe().withInitStd(0.09).withWarmup(warmup),
        corpus, null, cache, OPTIONS, s -> {});
    assertThat(changed.describe()).isEqualTo(built.describe()).contains("std 0.05").doesNotContain("0.09");
  }

  @Test
  void answersExactlyCountsTheRepliesThatAreTheConversationsOwnReadAsTheyAre() {
    List<String> corpus = List.of("Find me red shoes please. Action: search[red shoes]", "[SEP] size: large [SEP]");
    EngineStudent student = EngineStudentFactory.fromScratch(recipe(), corpus, OPTIONS, s -> {}).base();
    List<String> asks = List.of("Find me red shoes please", "size: large [SEP] size");
    // the same greedy decoding, without the student's reply style: what a random model says to each request
    EnginePolicy plain = new EnginePolicy(student.params(), student.tokenizer(), student.format(),
        GeneratorOptions.defaults());
    List<String> said = plain.generate(asks.stream()
            .map(a -> new GenerationRequest(List.of(ChatMessage.user(a)), 0)).toList(),
        new SamplingParams(0, 1, 64, List.of())).stream()
        .map(r -> ((Reply.Text) r).text().strip()).toList();
    java.util.function.BiFunction<String, String, TrainingExample> conversation = (ask, reply) -> new TrainingExample("c",
        List.of(new TrainingMessage(Role.USER, ask, false), new TrainingMessage(Role.ASSISTANT, reply, true)));
    assertThat(student.answersExactly(List.of(conversation.apply(asks.get(0), said.get(0)),
        conversation.apply(asks.get(1), said.get(1))))).isEqualTo(2);
    assertThat(student.answersExactly(List.of(conversation.apply(asks.get(0), said.get(0)),
        conversation.apply(asks.get(1), said.get(1) + " and more")))).isEqualTo(1);
  }

  @Test
  void theInitialWeightsHaveTheRequestedSpread() {
    List<String> corpus = List.of("red shoes red shoes blue hats blue hats");
    for (double std : new double[] {0.02, 0.1}) {
      float[] w = EngineStudentFactory.fromScratch(recipe().withInitStd(std), corpus, OPTIONS, s -> {})
          .base().params().data();
      double sum = 0;
      int n = 0;
      for (float x : w) {
        if (x != 1f && x != 0f) { // norms start at one, biases at zero
          sum += x * x;
          n++;
        }
      }
      assertThat(Math.sqrt(sum / n)).isCloseTo(std, org.assertj.core.api.Assertions.within(std * 0.05));
    }
    assertThatThrownBy(() -> recipe().withInitStd(0)).hasMessageContaining("init std must be positive");
  }

  @Test
  void theWarmUpStopsOnceItsRecentLossIsBelowItsThreshold() {
    List<String> logged = new ArrayList<>();
    List<String> corpus = List.of("red shoes red shoes blue hats blue hats");
    EngineStudentFactory f = EngineStudentFactory.fromScratch(recipe(), corpus, OPTIONS, logged::add);
    // 400 conversations of at most 1 per 128-token step: 400 steps in one epoch, unless the stop comes first
    org.eef4j.student.train.CopyWarmup easyStop = new org.eef4j.student.train.CopyWarmup(400, 1, 1e-3, 128, 50.0, 1);
    EngineStudent student = f.base();
    Trainer.TrainingReport report = student.warmUp(easyStop, List.of("red", "shoes", "blue", "hats"));
    assertThat(logged).anyMatch(l -> l.contains("sft step 50/") && l.contains("below 50.0, stopping"));
    assertThat(report.examples()).isLessThan(400);
  }

  @Test
  void aWarmUpNeedsTheEnvironmentsDrills() {
    EngineStudent.Options free = new EngineStudent.Options(OPTIONS.sft(), OPTIONS.dpo(), OPTIONS.generation());
    EngineStudent student = EngineStudentFactory.fromScratch(recipe(), List.of("red shoes blue hats"), free, s -> {})
        .base();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> student.warmUp(
            new org.eef4j.student.train.CopyWarmup(4, 1, 1e-3, 128, 0, 1), List.of("red", "shoes")))
        .hasMessageContaining("gives no drills");
  }
}
