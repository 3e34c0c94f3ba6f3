package org.eef4j.toyshop;

/** The toy's token count: whitespace-separated words, standing in for a tokenizer in compute accounting. */
final class ToyText {

  private ToyText() {}

  static int tokens(String text) {
    String s = text.strip();
    return s.isEmpty() ? 0 : s.split("\\s+").length;
  }
}
