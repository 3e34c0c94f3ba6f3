package org.eef4j.student.decoding;

/** How valid-action decoding constrains the text of a text action (a search query). */
public enum QueryStyle {
  /** Any text: the model writes the query. */
  FREE,
  /**
   * Only words of the observations the model read, separated by single spaces: a copy constraint; the model picks
   * which words and in what order.
   */
  WORDS_READ,
  /**
   * Only the text the environment gives for the action (WebShop: the instruction): the model decides when to search,
   * not what.
   */
  GIVEN
}
