package org.eef4j.toyshop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a reader of a {@link ToyShop} page can tell from its text alone: which page it is, what the instruction asks
 * for, which items are listed. Both the scripted expert and the tabular student read pages through it, as a language
 * model would read the text.
 *
 * @param kind SEARCH, RESULTS or ITEM
 * @param wanted the asked-for item's name ("red mug")
 * @param resultPage the results page number, 0 elsewhere
 * @param items the listed items' ids and names, in order (results pages only)
 * @param itemName the shown item's name (item pages only)
 */
record ToyPage(Kind kind, String wanted, int resultPage, List<String[]> items, String itemName) {

  enum Kind {
    SEARCH,
    RESULTS,
    ITEM,
    OTHER
  }

  static ToyPage parse(String observation) {
    String text = observation.startsWith("Observation:\n") ? observation.substring(13) : observation;
    String[] parts = text.split(" \\[SEP\\] ");
    String wanted = "";
    for (int i = 0; i + 1 < parts.length; i++) {
      if (parts[i].endsWith("Instruction:")) {
        wanted = parts[i + 1].replaceFirst("^i need an? ", "");
      }
    }
    if (text.endsWith("[SEP] Search")) {
      return new ToyPage(Kind.SEARCH, wanted, 0, List.of(), "");
    }
    if (text.endsWith("[SEP] Buy Now") && parts.length >= 4) {
      return new ToyPage(Kind.ITEM, wanted, 0, List.of(), parts[parts.length - 3]);
    }
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].startsWith("Page ") && parts[i].contains("(Total results")) {
        int page = Integer.parseInt(parts[i].substring(5, parts[i].indexOf(' ', 5)));
        List<String[]> items = new ArrayList<>();
        for (int j = i + 2; j + 1 < parts.length; j += 2) {
          items.add(new String[] {parts[j], parts[j + 1]});
        }
        return new ToyPage(Kind.RESULTS, wanted, page, items, "");
      }
    }
    return new ToyPage(Kind.OTHER, wanted, 0, List.of(), "");
  }

  /** The id of the listed item that matches the instruction. */
  Optional<String> wantedItem() {
    return items.stream().filter(i -> i[1].equals(wanted)).map(i -> i[0]).findFirst();
  }
}
