package org.eef4j.webshop.reward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code fuzz.token_set_ratio(a, b)} of thefuzz 0.20 (ETO's pin), which delegates to rapidfuzz; the reward's fuzzy
 * matches of attributes and options use it with the threshold "> 85".
 *
 * <ol>
 *   <li>full_process: drop characters U+0080..U+00FF (force_ascii), replace every non-alphanumeric character by a
 *       space, lowercase, trim;
 *   <li>split both into token sets; if they share a token and one set contains the other: 100;
 *   <li>otherwise the best of the normalized Indel similarities of (sect, sect+diff_ab), (sect, sect+diff_ba) and
 *       (sect+diff_ab, sect+diff_ba), tokens sorted and space-joined, where similarity = 100 * (1 - dist/(len1+len2))
 *       and the Indel distance is len1 + len2 - 2 * LCS;
 *   <li>Python's {@code int(round(x))}: half to even.
 * </ol>
 *
 * Lengths count code points, as Python's {@code len} does.
 */
public final class TokenSetRatio {

  private TokenSetRatio() {}

  /** The score 0..100 that {@code fuzz.token_set_ratio(a, b)} returns. */
  public static int score(String a, String b) {
    return (int) Math.rint(scoreOfProcessed(fullProcess(a), fullProcess(b)));
  }

  /** thefuzz's {@code full_process(s, force_ascii=True)}. */
  public static String fullProcess(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (c >= 0x80 && c <= 0xFF) {
        continue; // force_ascii drops Latin-1, and only Latin-1
      }
      out.appendCodePoint(isAlphanumeric(c) ? Character.toLowerCase(c) : ' ');
    }
    return out.toString().strip();
  }

  /** Python's {@code str.isalnum} for one character, which rapidfuzz's default_process keeps. */
  private static boolean isAlphanumeric(int c) {
    if (Character.isLetterOrDigit(c)) {
      return true;
    }
    int type = Character.getType(c);
    return type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
  }

  /** rapidfuzz's {@code token_set_ratio} on already processed strings, unrounded. */
  static double scoreOfProcessed(String s1, String s2) {
    if (s1.isEmpty() || s2.isEmpty()) {
      return 0;
    }
    Set<String> a = tokens(s1);
    Set<String> b = tokens(s2);
    if (a.isEmpty() || b.isEmpty()) {
      return 0;
    }
    List<String> intersection = new ArrayList<>(a);
    intersection.retainAll(b);
    List<String> diffAb = new ArrayList<>(a);
    diffAb.removeAll(b);
    List<String> diffBa = new ArrayList<>(b);
    diffBa.removeAll(a);
    if (!intersection.isEmpty() && (diffAb.isEmpty() || diffBa.isEmpty())) {
      return 100;
    }
    int[] ab = codePoints(joinSorted(diffAb));
    int[] ba = codePoints(joinSorted(diffBa));
    int sectLen = codePoints(String.join(" ", intersection)).length;
    int sep = sectLen > 0 ? 1 : 0;
    int sectAbLen = sectLen + sep + ab.length;
    int sectBaLen = sectLen + sep + ba.length;

    // sect+ab against sect+ba: the shared prefix adds nothing to the distance.
    double result = normalized(indelDistance(ab, ba), sectAbLen + sectBaLen);
    if (sectLen == 0) {
      return result;
    }
    // sect against sect+ab (and +ba): the distance is the length of what was appended.
    double sectAb = normalized(sep + ab.length, sectLen + sectAbLen);
    double sectBa = normalized(sep + ba.length, sectLen + sectBaLen);
    return Math.max(result, Math.max(sectAb, sectBa));
  }

  private static double normalized(int distance, int lengthSum) {
    return lengthSum == 0 ? 100 : 100 - 100.0 * distance / lengthSum;
  }

  /** Python's {@code set(s.split())}; after full_process the only separator left is ' '. */
  private static Set<String> tokens(String s) {
    Set<String> out = new LinkedHashSet<>();
    int start = -1;
    for (int i = 0; i <= s.length(); i++) {
      boolean space = i == s.length() || Character.isWhitespace(s.charAt(i));
      if (space && start >= 0) {
        out.add(s.substring(start, i));
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
    }
    return out;
  }

  private static String joinSorted(List<String> tokens) {
    // Python sorts str by code point; compareTo sorts by UTF-16 unit, which only differs outside the BMP.
    String[] sorted = tokens.toArray(String[]::new);
    Arrays.sort(sorted, (x, y) -> Arrays.compare(codePoints(x), codePoints(y)));
    return String.join(" ", sorted);
  }

  private static int[] codePoints(String s) {
    return s.codePoints().toArray();
  }

  /** Insertions and deletions only: len1 + len2 - 2 * LCS. */
  static int indelDistance(int[] x, int[] y) {
    int[] prev = new int[y.length + 1];
    int[] cur = new int[y.length + 1];
    for (int i = 1; i <= x.length; i++) {
      for (int j = 1; j <= y.length; j++) {
        cur[j] = x[i - 1] == y[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return x.length + y.length - 2 * prev[y.length];
  }
}
