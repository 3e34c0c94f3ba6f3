package org.eef4j.webshop.reward;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import opennlp.tools.postag.POSModel;
import opennlp.tools.postag.POSTaggerME;

/**
 * The nouns of a product name, as the type reward compares them: the lower-cased tokens whose Universal POS tag is
 * NOUN or PROPN (WS goal.py {@code get_type_reward}, which uses spaCy's {@code pos_}).
 *
 * <p>WebShop tags with spaCy ({@code en_core_web_sm}; ETO and AgentGym with {@code en_core_web_lg}); eef4j uses Apache
 * OpenNLP with its UD English-EWT model. Tokenisation approximates spaCy's: whitespace, then leading and trailing
 * punctuation split off, hyphens between letters split as infixes. <b>Where the two taggers disagree the title score
 * moves, and with it the type reward</b>: a word tagged NOUN by one and ADJ/VERB by the other changes the goal-side
 * noun count (the denominator) or the overlap. This matters most for short or brand-heavy names, and can cross the
 * 0.1 and 0.2 thresholds of r_type; the 1.0 reward of the right product is unaffected (its name equals the goal's, so
 * the score is 1 whatever the tags, as long as at least one token is a noun).
 *
 * <p>Thread-safe: the model is loaded once; each thread gets its own {@link POSTaggerME}, which is not thread-safe.
 */
public final class NounExtractor {

  private static final String MODEL_PROPERTIES = "/model.properties";

  private NounExtractor() {}

  /** Loaded on first use; the class-holder idiom makes the load happen once, safely. */
  private static final class Model {
    static final POSModel POS = load();

    private static POSModel load() {
      try (InputStream props = NounExtractor.class.getResourceAsStream(MODEL_PROPERTIES)) {
        if (props == null) {
          throw new IllegalStateException(
              "OpenNLP POS model not on the classpath (org.apache.opennlp:opennlp-models-pos-en)");
        }
        Properties p = new Properties();
        p.load(props);
        String name = p.getProperty("model.name");
        try (InputStream in = NounExtractor.class.getResourceAsStream("/" + name)) {
          if (in == null) {
            throw new IllegalStateException("OpenNLP POS model '" + name + "' named in model.properties is missing");
          }
          return new POSModel(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the OpenNLP POS model", e);
      }
    }
  }

  private static final ThreadLocal<POSTaggerME> TAGGER =
      ThreadLocal.withInitial(() -> new POSTaggerME(Model.POS));

  /**
   * Tagging costs about a millisecond a name and the same names come back all the time (a goal's name is its target's
   * title, and a session scores the same few products), so results are memoized; the map is dropped when it grows past
   * {@link #CACHE_LIMIT} names, which keeps memory bounded without an eviction policy to get wrong.
   */
  private static final int CACHE_LIMIT = 100_000;

  private static final ConcurrentHashMap<String, List<String>> CACHE = new ConcurrentHashMap<>();

  /** The nouns and proper nouns of the text, lower-cased, in order, duplicates kept (the reward divides by this count). */
  public static List<String> nouns(String text) {
    List<String> cached = CACHE.get(text);
    if (cached != null) {
      return cached;
    }
    List<String> computed = List.copyOf(tagNouns(text));
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear();
    }
    CACHE.put(text, computed);
    return computed;
  }

  private static List<String> tagNouns(String text) {
    List<String> tokens = tokenize(text);
    if (tokens.isEmpty()) {
      return List.of();
    }
    String[] tags = TAGGER.get().tag(tokens.toArray(String[]::new));
    List<String> nouns = new ArrayList<>();
    for (int i = 0; i < tags.length; i++) {
      if (tags[i].equals("NOUN") || tags[i].equals("PROPN")) {
        nouns.add(tokens.get(i).toLowerCase(Locale.ROOT));
      }
    }
    return nouns;
  }

  /** The tags the model gives each token, for diagnostics and tests. */
  static List<String> tags(List<String> tokens) {
    return List.of(TAGGER.get().tag(tokens.toArray(String[]::new)));
  }

  private static final String PREFIX_PUNCT = "\"'([{<*#$£€~`";
  private static final String SUFFIX_PUNCT = "\"')]}>,;:!?%*";

  /** A spaCy-like tokenisation (see the class comment). */
  static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    for (String chunk : text.strip().split("\\s+")) {
      if (chunk.isEmpty()) {
        continue;
      }
      List<String> suffixes = new ArrayList<>();
      String rest = chunk;
      while (!rest.isEmpty() && PREFIX_PUNCT.indexOf(rest.charAt(0)) >= 0) {
        out.add(rest.substring(0, 1));
        rest = rest.substring(1);
      }
      while (!rest.isEmpty()) {
        char last = rest.charAt(rest.length() - 1);
        boolean trailingPeriod = last == '.' && !isAbbreviation(rest);
        if (SUFFIX_PUNCT.indexOf(last) >= 0 || trailingPeriod) {
          suffixes.addFirst(rest.substring(rest.length() - 1));
          rest = rest.substring(0, rest.length() - 1);
        } else {
          break;
        }
      }
      if (!rest.isEmpty()) {
        splitInfixHyphens(rest, out);
      }
      out.addAll(suffixes);
    }
    return out;
  }

  /** "D.o.n." and "U.S." keep their final period, as spaCy's exceptions keep dotted abbreviations. */
  private static boolean isAbbreviation(String token) {
    return token.length() > 2 && token.substring(0, token.length() - 1).contains(".");
  }

  /** "Unisex-Adult" gives "Unisex", "-", "Adult": spaCy splits a hyphen between letters. */
  private static void splitInfixHyphens(String token, List<String> out) {
    int start = 0;
    for (int i = 1; i < token.length() - 1; i++) {
      if (token.charAt(i) == '-'
          && Character.isLetter(token.charAt(i - 1))
          && Character.isLetter(token.charAt(i + 1))) {
        out.add(token.substring(start, i));
        out.add("-");
        start = i + 1;
      }
    }
    out.add(token.substring(start));
  }
}
