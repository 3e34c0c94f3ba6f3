package org.eef4j.student.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.eef4j.core.agent.StudentView;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;

/**
 * A short curriculum that gives a student trained from scratch the skill every pretrained LLM arrives with: copying
 * words it has just read. Each conversation asks for a few random words and the reply repeats them in order, both
 * written in the environment's own requests and actions by its drills ({@link StudentView#copyDrills()}; WebShop:
 * "Find me cotton, white, large please" answered with "Action: search[cotton white large]").
 *
 * <p>Why: a ~1M-parameter model fitted to a few hundred WebShop demonstrations memorises them instead of learning to
 * look things up in its context, which needs content-based attention ("induction heads") that small models acquire
 * only after a sudden transition. On this curriculum the transition came after ~1,100 to ~2,400 steps, or not within
 * 4,000 (measured in docs/student/copying.md); a student that went through it then picked the option values the
 * instruction names, which a student trained on the demonstrations alone never did. The words come from the task instructions, so that the
 * curriculum teaches the lookup and not a new vocabulary.
 *
 * @param conversations how many conversations the curriculum has
 * @param epochs passes over them at most: the warm-up stops once the copying loss is below {@code stopBelow}
 * @param stopBelow the mean loss (over the last 50 steps) at which the student copies well enough: the transition comes
 *     after a number of steps that varies from one initialisation to another, so the warm-up runs until it happened
 * @param lr peak learning rate
 * @param tokensPerBatch padded tokens per step
 * @param seed which words each conversation draws
 * @param form what is copied: word lists in order, or the value a request names for a name
 * @param echoes the share of conversations (0 to 1) that are echoes instead: a few words, repeated verbatim
 */
public record CopyWarmup(int conversations, int epochs, double lr, int tokensPerBatch, double stopBelow, long seed,
    Form form, double echoes) {

  /** What the curriculum copies. */
  public enum Form {
    /** "Find me cotton, white, large please" answered with "Action: search[cotton white large]". */
    LISTS,
    /**
     * "Find me cotton shirt with color: white, and size: large [SEP] size" answered with "Action: click[size:
     * large]": the name asked last, the value the request gave it. The lookup a student needs when it clicks options
     * written with their group's name (WebShop's view): find the name in the request, copy what follows it.
     */
    NAMED_VALUES
  }

  /** The sequence budget of one conversation: a handful of words twice, with the chat template around them. */
  public static final int MAX_SEQ = 128;

  public CopyWarmup {
    java.util.Objects.requireNonNull(form, "form");
    if (conversations < 1) throw new IllegalArgumentException("the warm-up needs at least one conversation");
    if (epochs < 1) throw new IllegalArgumentException("warm-up epochs must be at least 1, got " + epochs);
    if (!(lr > 0)) throw new IllegalArgumentException("warm-up learning rate must be positive, got " + lr);
    if (!(stopBelow >= 0)) throw new IllegalArgumentException("warm-up stop loss must be >= 0, got " + stopBelow);
    if (!(echoes >= 0 && echoes <= 1)) {
      throw new IllegalArgumentException("warm-up echoes must be in [0, 1], got " + echoes);
    }
    if (tokensPerBatch < MAX_SEQ) {
      throw new IllegalArgumentException("warm-up tokens per batch must be at least " + MAX_SEQ + ", got " + tokensPerBatch);
    }
  }

  /**
   * The measured recipe: 6,000 conversations, lr 3e-3, 1,024 tokens per step, until the loss is below 0.05 (at most 12
   * epochs, about 4,200 steps).
   */
  public static CopyWarmup defaults() {
    return new CopyWarmup(6000, 12, 3e-3, 1024, 0.05, 1, Form.LISTS, 0);
  }

  /** A warm-up of word lists. */
  public CopyWarmup(int conversations, int epochs, double lr, int tokensPerBatch, double stopBelow, long seed) {
    this(conversations, epochs, lr, tokensPerBatch, stopBelow, seed, Form.LISTS, 0);
  }

  /** A warm-up without echoes. */
  public CopyWarmup(int conversations, int epochs, double lr, int tokensPerBatch, double stopBelow, long seed,
      Form form) {
    this(conversations, epochs, lr, tokensPerBatch, stopBelow, seed, form, 0);
  }

  /** The same warm-up with {@code share} of its conversations echoes. */
  public CopyWarmup withEchoes(double share) {
    return new CopyWarmup(conversations, epochs, lr, tokensPerBatch, stopBelow, seed, form, share);
  }

  /** How the warm-up trains (cosine schedule with a short warm-up of the learning rate, as SFT). */
  public SftOptions sftOptions() {
    return SftOptions.defaults().withEpochs(epochs).withLr(lr).withBatch(tokensPerBatch, MAX_SEQ);
  }

  /** How many of the corpus's most frequent words the curriculum draws from. */
  public static final int VOCABULARY = 400;

  /**
   * The words to copy: the texts' {@link #VOCABULARY} most frequent alphabetic words of two letters or more,
   * lower-cased (ties in first-seen order). A few hundred: one warm-up over all ~2,000 words of a WebShop corpus was
   * still at loss ~0.9 after 2,500 steps. Whether and when the transition comes is, at this model size, largely a
   * matter of the initialisation (docs/student/copying.md), hence the loss threshold rather than a fixed length.
   */
  public static List<String> vocabulary(Iterable<String> corpus) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String text : corpus) {
      for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
        if (w.length() >= 2) counts.merge(w, 1, Integer::sum);
      }
    }
    List<String> out = new ArrayList<>(counts.keySet());
    out.sort(java.util.Comparator.comparingInt((String w) -> -counts.get(w))); // stable: ties keep first-seen order
    return List.copyOf(out.subList(0, Math.min(VOCABULARY, out.size())));
  }

  /** The curriculum over {@code words}, names drawn from the words too, written by the environment's drills. */
  public List<TrainingExample> examples(List<String> words, StudentView.CopyDrills drills) {
    return examples(words, List.of(), drills);
  }

  /**
   * The curriculum over {@code words}, written by the environment's {@code drills}. A named-values request names its
   * values with {@code names} when there are at least two of them (the names the task instructions use,
   * {@link StudentView.CopyDrills#names}), else with words. Why the real
   * names: under a tokenizer that keeps "size: " whole ({@code BpeTrainer.NAMED_WORDS_PATTERN}) the value is then
   * found by the plainest induction, the token after the earlier "size: ", while a random word and its colon are two
   * tokens and the match reaches further back. Measured (docs/student/copying.md): 17 of 24 held-out
   * values after 3,090 steps with the names, against 8 of 16 with words.
   */
  public List<TrainingExample> examples(List<String> words, List<String> names, StudentView.CopyDrills drills) {
    if (words.size() < 2) throw new IllegalArgumentException("the copy warm-up needs a corpus of at least two words");
    List<String> optionNames = names.size() >= 2 ? names : words;
    SplittableRandom rnd = new SplittableRandom(seed);
    List<TrainingExample> out = new ArrayList<>(conversations);
    for (int i = 0; i < conversations; i++) {
      StudentView.Drill turn = echoes > 0 && rnd.nextDouble() < echoes ? echo(words, rnd)
          : form == Form.LISTS ? list(words, rnd, drills) : namedValue(words, optionNames, rnd, drills);
      out.add(new TrainingExample("copy-" + i, List.of(
          new TrainingMessage(Role.USER, turn.request(), false),
          new TrainingMessage(Role.ASSISTANT, turn.reply(), true))));
    }
    return out;
  }

  /**
   * 4 to 12 words drawn with replacement, said and repeated verbatim: every word of the reply is found by the plainest
   * induction (the word that followed the previous word's earlier occurrence), so each conversation trains that circuit
   * on up to twelve tokens where a named value trains it on one. Measured (docs/student/copying.md): with
   * half the conversations echoes, the same number of steps answered 17 of 40 held-out named values instead of none.
   */
  private static StudentView.Drill echo(List<String> words, SplittableRandom rnd) {
    int n = 4 + rnd.nextInt(9);
    List<String> picked = new ArrayList<>(n);
    for (int j = 0; j < n; j++) picked.add(words.get(rnd.nextInt(words.size())));
    String said = String.join(" ", picked);
    return new StudentView.Drill(said, said);
  }

  /** How many held-out requests a warmed-up base answers ({@link #heldOut}): enough to tell none, some and most apart. */
  public static final int HELD_OUT = 40;

  /**
   * {@code n} requests of the curriculum's form that it did not train on (drawn with another seed, without echoes): the
   * check of what the warm-up taught. Its loss alone does not tell, since a named value is one token of a reply whose
   * other tokens are fixed and echoes mix their own loss into it.
   */
  public List<TrainingExample> heldOut(List<String> words, List<String> names, int n, StudentView.CopyDrills drills) {
    return new CopyWarmup(n, epochs, lr, tokensPerBatch, stopBelow, seed ^ 0x5DEECE66DL, form, 0)
        .examples(words, names, drills);
  }

  /** 3 to 7 words drawn with replacement, asked for and repeated in order. */
  private static StudentView.Drill list(List<String> words, SplittableRandom rnd, StudentView.CopyDrills drills) {
    int n = 3 + rnd.nextInt(5);
    List<String> picked = new ArrayList<>(n);
    for (int j = 0; j < n; j++) picked.add(words.get(rnd.nextInt(words.size())));
    return drills.list(picked);
  }

  /**
   * A request with 2 to 6 words, then 1 to 3 distinct names each with a value of one or two words; one name asked
   * (WebShop: after a separator, as a product page lists an option group after the instruction).
   */
  private static StudentView.Drill namedValue(List<String> words, List<String> optionNames, SplittableRandom rnd,
      StudentView.CopyDrills drills) {
    List<String> head = new ArrayList<>();
    for (int j = 1 + rnd.nextInt(5); j >= 0; j--) head.add(words.get(rnd.nextInt(words.size())));
    int n = Math.min(1 + rnd.nextInt(3), optionNames.size());
    List<String> names = new ArrayList<>(n);
    List<String> values = new ArrayList<>(n);
    while (names.size() < n) {
      String name = optionNames.get(rnd.nextInt(optionNames.size()));
      if (names.contains(name)) continue;
      names.add(name);
      String value = words.get(rnd.nextInt(words.size()));
      values.add(rnd.nextInt(4) == 0 ? value + " " + words.get(rnd.nextInt(words.size())) : value);
    }
    return drills.namedValue(head, names, values, rnd.nextInt(n));
  }
}
