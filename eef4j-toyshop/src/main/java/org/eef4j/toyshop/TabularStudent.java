package org.eef4j.toyshop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.eef4j.core.agent.ActionParser;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.format.FormatTag;
import org.eef4j.core.format.PreferencePair;
import org.eef4j.core.pipeline.RunStore;
import org.eef4j.core.pipeline.StudentFactory;
import org.eef4j.core.pipeline.StudentModel;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;

/**
 * A student for {@link ToyShop} that learns by counting, standing in for a language model where the point is the
 * pipeline's logic, not the model: it abstracts each page to a state (search page; results page with or without the
 * asked-for item; the asked-for item's page or another's) and each action to a kind (search, open the asked-for item,
 * open another, next page, back, buy), and learns a weight per (state, kind): +1 for every trained turn (masked turns
 * teach nothing), and for a preference pair +1 for the chosen side's turns and −1 for the rejected side's. It acts by
 * the heaviest positive kind for the page, and where it has learned nothing by an untrained rule: search, open a random
 * listed item (seeded by the reply's seed), buy. So it generalises across tasks as a model would, never pages unless
 * taught, and learns paging only from data that shows it, which is what separates EEF from RFT on hard tasks.
 */
public final class TabularStudent implements StudentModel {

  /** The file a saved student is: {@code tabular.json}, {"format": "eef4j-toy-tabular", "version": 1, "weights"}. */
  public static final FormatTag TAG = new FormatTag("eef4j-toy-tabular", 1, 1);

  static final String FILE = "tabular.json";

  enum Kind {
    SEARCH,
    OPEN_WANTED,
    OPEN_OTHER,
    NEXT,
    PREV,
    BACK,
    BUY
  }

  private final Map<String, Map<Kind, Double>> weights = new TreeMap<>();

  public static StudentFactory factory() {
    return new StudentFactory() {
      @Override
      public String describe() {
        return "tabular toy student (counts page state → action kind)";
      }

      @Override
      public StudentModel base() {
        return new TabularStudent();
      }

      @Override
      public StudentModel load(Path directory) {
        return TabularStudent.load(directory);
      }
    };
  }

  @Override
  public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
    List<Reply> out = new ArrayList<>(requests.size());
    for (GenerationRequest r : requests) {
      String text = act(ToyPage.parse(r.messages().getLast().content()), new SplittableRandom(r.seed()));
      out.add(new Reply.Text(text, ToyText.tokens(r.messages().getLast().content()), ToyText.tokens(text)));
    }
    return out;
  }

  private String act(ToyPage page, SplittableRandom random) {
    Optional<Kind> learned = heaviest(weights.get(state(page)));
    Kind kind = learned.orElseGet(() -> switch (page.kind()) {
      case SEARCH -> Kind.SEARCH;
      case RESULTS -> null;
      case ITEM -> Kind.BUY;
      case OTHER -> Kind.BACK;
    });
    if (page.kind() == ToyPage.Kind.RESULTS && (kind == null || kind == Kind.OPEN_OTHER || kind == Kind.OPEN_WANTED
        && page.wantedItem().isEmpty())) {
      return ToyExpert.reply("Let me look at this one.", "click[" + page.items().get(random.nextInt(page.items().size()))[0] + "]");
    }
    return switch (kind) {
      case SEARCH -> ToyExpert.reply("I should search.", "search[" + page.wanted() + "]");
      case OPEN_WANTED -> ToyExpert.reply("This is the item.", "click[" + page.wantedItem().orElseThrow() + "]");
      case OPEN_OTHER -> throw new IllegalStateException("handled above");
      case NEXT -> ToyExpert.reply("Next page.", "click[next >]");
      case PREV -> ToyExpert.reply("Previous page.", "click[< prev]");
      case BACK -> ToyExpert.reply("Back.", "click[back to search]");
      case BUY -> ToyExpert.reply("Buy it.", "click[buy now]");
    };
  }

  /** The kind with the largest positive weight, the earliest kind on a tie; empty when none is positive. */
  private static Optional<Kind> heaviest(Map<Kind, Double> w) {
    Kind best = null;
    double max = 0;
    if (w != null) {
      for (var e : w.entrySet()) {
        if (e.getValue() > max) {
          max = e.getValue();
          best = e.getKey();
        }
      }
    }
    return Optional.ofNullable(best);
  }

  static String state(ToyPage page) {
    return switch (page.kind()) {
      case SEARCH -> "search";
      case RESULTS -> page.wantedItem().isPresent() ? "results/listed" : "results/not-listed";
      case ITEM -> page.itemName().equals(page.wanted()) ? "item/wanted" : "item/other";
      case OTHER -> "other";
    };
  }

  static Optional<Kind> kind(ToyPage page, String reply) {
    Optional<String> parsed = ActionParser.parse(reply);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    String a = parsed.get().strip().toLowerCase(java.util.Locale.ROOT);
    if (a.startsWith("search[")) {
      return Optional.of(Kind.SEARCH);
    }
    return switch (a) {
      case "click[next >]" -> Optional.of(Kind.NEXT);
      case "click[< prev]" -> Optional.of(Kind.PREV);
      case "click[back to search]" -> Optional.of(Kind.BACK);
      case "click[buy now]" -> Optional.of(Kind.BUY);
      default -> {
        if (!a.startsWith("click[") || page.kind() != ToyPage.Kind.RESULTS) {
          yield Optional.empty();
        }
        String id = a.substring(6, a.length() - 1);
        yield Optional.of(
            page.wantedItem().map(w -> w.equalsIgnoreCase(id)).orElse(false) ? Kind.OPEN_WANTED : Kind.OPEN_OTHER);
      }
    };
  }

  @Override
  public TrainingReport train(List<TrainingExample> examples, long seed) {
    long t0 = System.nanoTime();
    long tokens = 0;
    for (TrainingExample x : examples) {
      List<TrainingMessage> m = x.messages();
      for (int i = 1; i < m.size(); i++) {
        if (m.get(i).trained() && m.get(i - 1).role() == Role.USER) {
          learn(m.get(i - 1).content(), m.get(i).content(), 1);
          tokens += ToyText.tokens(m.get(i).content());
        }
      }
    }
    return new TrainingReport(examples.size(), tokens, Double.NaN, (System.nanoTime() - t0) / 1_000_000);
  }

  @Override
  public TrainingReport trainPreferences(List<PreferencePair> pairs, long seed) {
    long t0 = System.nanoTime();
    long tokens = 0;
    for (PreferencePair p : pairs) {
      tokens += learnSide(p.prompt(), p.chosen(), 1);
      tokens += learnSide(p.prompt(), p.rejected(), -1);
    }
    return new TrainingReport(pairs.size(), tokens, Double.NaN, (System.nanoTime() - t0) / 1_000_000);
  }

  private long learnSide(List<ChatMessage> prompt, List<ChatMessage> side, double sign) {
    long tokens = 0;
    String observation = prompt.getLast().content();
    for (ChatMessage m : side) {
      if (m.role() == Role.ASSISTANT) {
        learn(observation, m.content(), sign);
        tokens += ToyText.tokens(m.content());
      } else {
        observation = m.content();
      }
    }
    return tokens;
  }

  private void learn(String observation, String reply, double delta) {
    ToyPage page = ToyPage.parse(observation);
    kind(page, reply).ifPresent(k -> weights.computeIfAbsent(state(page), s -> new EnumMap<>(Kind.class))
        .merge(k, delta, Double::sum));
  }

  @Override
  public void save(Path directory) {
    ObjectNode n = TAG.toJson();
    ObjectNode w = n.putObject("weights");
    weights.forEach((s, ks) -> {
      ObjectNode o = w.putObject(s);
      ks.forEach((k, v) -> o.put(k.name(), v));
    });
    RunStore.writeJson(directory.resolve(FILE), n);
  }

  static TabularStudent load(Path directory) {
    Path file = directory.resolve(FILE);
    JsonNode n = RunStore.readTagged(file, TAG);
    TabularStudent s = new TabularStudent();
    n.path("weights").properties().forEach(e -> {
      Map<Kind, Double> ks = new EnumMap<>(Kind.class);
      e.getValue().properties().forEach(k -> {
        try {
          ks.put(Kind.valueOf(k.getKey()), k.getValue().asDouble());
        } catch (IllegalArgumentException ex) {
          throw new org.eef4j.core.format.FormatException(file, 1, "unknown action kind " + k.getKey(), ex);
        }
      });
      s.weights.put(e.getKey(), ks);
    });
    return s;
  }

  /** The learned weights, for tests: state → action kind → weight. */
  Map<String, Map<Kind, Double>> weights() {
    return weights;
  }
}
