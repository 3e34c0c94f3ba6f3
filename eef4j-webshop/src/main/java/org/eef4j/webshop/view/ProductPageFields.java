package org.eef4j.webshop.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a WebShop page's text keeps what the student's click names rename: the instruction (the field after
 * "Instruction:"), a product page's option groups (the fields after "&lt; Prev" up to the title) and its title (the
 * field before "Price: "). Pages are read as their fields, the text split at " [SEP] ".
 */
final class ProductPageFields {

  /** What separates a page's fields. */
  static final String SEPARATOR = " [SEP] ";
  /** The group of an option value whose group the instruction does not name. */
  static final String OPTION = "option";
  /** The word every prefixed option click starts with. */
  static final String OPTION_PREFIX = "option ";

  private ProductPageFields() {}

  /**
   * The instruction an observation shows (the field after "Instruction:"), or "" when it shows none, such as an
   * observation the context window hides.
   */
  static String instructionIn(String observation) {
    String[] fields = observation.split(Pattern.quote(SEPARATOR), -1);
    for (int i = 0; i + 1 < fields.length; i++) {
      if (fields[i].strip().endsWith("Instruction:")) return fields[i + 1];
    }
    return "";
  }

  /**
   * A product page's option values with their group: the fields after "&lt; Prev" up to the title (the field before
   * "Price: "), each field the instruction names as a group ("size: large") starting one.
   */
  static Map<String, String> optionGroups(String[] fields) {
    String instruction = instructionOf(fields);
    Map<String, String> groups = new HashMap<>();
    String group = OPTION;
    int title = titleIndex(fields);
    for (int i = optionsStart(fields); i >= 0 && i < title; i++) {
      String field = fields[i].toLowerCase(Locale.ROOT);
      if (isGroupName(instruction, field)) {
        group = field;
      } else {
        groups.putIfAbsent(field, group);
      }
    }
    return groups;
  }

  /** Of the asked values, those the product page offers under the asked group: group -> value as the page spells it. */
  static Map<String, String> askedOnPage(Map<String, String> askedValues, Map<String, String> groups,
      String[] fields) {
    Map<String, String> onPage = new LinkedHashMap<>();
    int title = titleIndex(fields);
    for (int i = optionsStart(fields); i >= 0 && i < title; i++) {
      String value = fields[i].toLowerCase(Locale.ROOT);
      String group = askedValues.get(value);
      if (group != null && group.equals(groups.get(value))) onPage.putIfAbsent(group, fields[i]);
    }
    return onPage;
  }

  /**
   * With options given (ClickNames.Options.GIVEN): a product page with its option groups and values replaced by the asked groups the
   * student can still choose, "option color [SEP] option size", as its actions are written; a chosen group drops out,
   * as WebShop's web page marks it chosen and its text does not. Why: whether to choose an option or to buy then
   * rests on words of the page the student reads, not on matching its earlier actions against the instruction,
   * which the demo's students did not learn (they bought at once on every page, or chose the same option until the
   * step limit, by seed: docs/student/learning.md).
   */
  static List<String> offeredView(String[] fields, Set<String> offered) {
    int start = optionsStart(fields);
    int title = titleIndex(fields);
    if (start < 0 || title < start) return List.of(fields);
    List<String> view = new ArrayList<>(List.of(fields).subList(0, start));
    offered.forEach(group -> view.add(OPTION_PREFIX + group));
    view.addAll(List.of(fields).subList(title, fields.length));
    return view;
  }

  /** Writes each named group's field as "group: value" when one of {@code chosen} is a value of it (the last wins). */
  static void showChosen(String[] fields, Map<String, String> groups, List<String> chosen) {
    Map<String, String> valueOfGroup = new HashMap<>();
    for (String value : chosen) {
      String group = groups.get(value.toLowerCase(Locale.ROOT));
      if (group != null && !group.equals(OPTION)) valueOfGroup.put(group, value);
    }
    String instruction = instructionOf(fields);
    int title = titleIndex(fields);
    for (int i = optionsStart(fields); i >= 0 && i < title; i++) {
      String field = fields[i].toLowerCase(Locale.ROOT);
      if (isGroupName(instruction, field) && valueOfGroup.containsKey(field)) {
        fields[i] = fields[i] + ": " + valueOfGroup.get(field);
      }
    }
  }

  /** The instruction (a page's second field), lower-cased, with a space before it for whole-name lookups. */
  static String instructionOf(String[] fields) {
    return fields.length > 1 ? " " + fields[1].toLowerCase(Locale.ROOT) : "";
  }

  /** Whether the instruction names a group so ("size: large"); a name may have several words ("flavor name"). */
  static boolean isGroupName(String instruction, String field) {
    return !field.isEmpty() && instruction.contains(" " + field + ": ");
  }

  /** The first field after "&lt; Prev" (where a product page's options start), or -1. */
  static int optionsStart(String[] fields) {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].equals("< Prev")) return i + 1;
    }
    return -1;
  }

  /** The product title's field: the one before "Price: ...", or -1. */
  static int titleIndex(String[] fields) {
    int title = -1;
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].startsWith("Price: ")) title = i - 1;
    }
    return title;
  }
}
