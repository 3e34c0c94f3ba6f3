package org.eef4j.webshop.env;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects a page's visible text nodes the way the original turned its HTML into the text observation
 * ({@code convert_html_to_text(html, simple=True)} in WS:web_agent_site/envs/web_agent_text_env.py), so that the Java
 * pages need no HTML at all.
 *
 * <p>Each {@link #node} call is one text node as Jinja rendered it (template text around the value included). The
 * rules, from BeautifulSoup's html.parser tree builder and the conversion:
 *
 * <ul>
 *   <li>an empty value makes no node at all (so an empty title leaves no segment);
 *   <li>outside {@code <pre>}, a node of ASCII whitespace only becomes {@code "\n"} if it holds a newline (and is then
 *       dropped) or {@code " "} (kept, as an empty segment);
 *   <li>inside {@code <pre>} a node is kept as is, and dropped only if it is exactly {@code "\n"};
 *   <li>every kept node is stripped with Python's {@code str.strip()} and the nodes are joined with {@code " [SEP] "}.
 * </ul>
 */
final class VisibleText {
  static final String SEP = " [SEP] ";

  private final List<String> segments = new ArrayList<>();

  /** A text node outside {@code <pre>}. */
  VisibleText node(String text) {
    if (text.isEmpty()) {
      return this;
    }
    if (isAsciiWhitespace(text)) {
      if (text.indexOf('\n') < 0) {
        segments.add("");
      }
      return this;
    }
    segments.add(PythonText.strip(text));
    return this;
  }

  /** A text node inside {@code <pre>}, where BeautifulSoup keeps whitespace. */
  VisibleText preNode(String text) {
    if (!text.isEmpty() && !text.equals("\n")) {
      segments.add(PythonText.strip(text));
    }
    return this;
  }

  private static boolean isAsciiWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  String join() {
    return String.join(SEP, segments);
  }
}
