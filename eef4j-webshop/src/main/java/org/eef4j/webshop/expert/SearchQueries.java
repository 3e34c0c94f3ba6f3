package org.eef4j.webshop.expert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The search queries the scripted expert writes from an instruction, the way GPT-4 writes them in ETO's trajectories
 * (e.g. {@code search[l'eau d'issey 6.76 fl oz bottle price < 100.00]}): the instruction's content words, the option
 * values without their names, and the price limit as {@code price < X}.
 */
final class SearchQueries {

  private SearchQueries() {}

  private static final Pattern PRICE = Pattern.compile(",? *and price lower than ([0-9]+(?:\\.[0-9]+)?) dollars");
  private static final Pattern LEAD = Pattern.compile(
      "^(?:find me|i need|i want|i am looking for|i'm looking for|looking for|i would like|get me|buy me|search for|"
          + "show me|i am searching for|i'm searching for|please find|can you find|help me find)\\s+(?:a |an |some )?");
  /** An option as synthetic instructions spell it: " with size: large", ", and fit type: men". Names are 1-2 words. */
  private static final Pattern OPTION_NAME = Pattern.compile("(?:\\bwith |, and )[a-z]+(?: [a-z]+)?: ");
  private static final Pattern FILLER = Pattern.compile("\\b(?:with|and|a|an|the|for|of|that|is|are|it|in)\\b");

  /** The first query: what the instruction asks for, options and price included. */
  static String full(String instruction) {
    String s = instruction.toLowerCase(Locale.ROOT).strip();
    String price = null;
    Matcher m = PRICE.matcher(s);
    if (m.find()) {
      price = m.group(1);
      s = s.substring(0, m.start()) + s.substring(m.end());
    }
    s = LEAD.matcher(s).replaceFirst("");
    s = OPTION_NAME.matcher(s).replaceAll(" ");
    s = squash(FILLER.matcher(s.replace(',', ' ')).replaceAll(" "));
    return price == null ? s : (s + " price < " + price).strip();
  }

  /** The second, simpler query after the first found nothing useful: the product phrase alone. */
  static String simple(String instruction) {
    String s = instruction.toLowerCase(Locale.ROOT).strip();
    s = LEAD.matcher(s).replaceFirst("");
    int cut = s.length();
    for (String stop : List.of(" with ", ", ", " and price ")) {
      int at = s.indexOf(stop);
      if (at > 0) {
        cut = Math.min(cut, at);
      }
    }
    String phrase = squash(s.substring(0, cut));
    return phrase.isEmpty() ? full(instruction) : phrase;
  }

  /** The words of a text, lower-cased, for judging how well a title matches the instruction. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (w.length() > 1 && !FILLER.matcher(w).matches()) {
        out.add(w);
      }
    }
    return out;
  }

  private static String squash(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }
}
