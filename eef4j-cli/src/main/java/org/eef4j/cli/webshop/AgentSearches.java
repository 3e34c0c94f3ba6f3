package org.eef4j.cli.webshop;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eef4j.cli.common.UserInputException;

/**
 * The {@code search[...]} actions written in a file of agent output: ETO's or AgentGym's trajectories and in-context
 * examples (JSON or JSON lines, whose strings are read unescaped), or plain text. They are the queries agents
 * actually send, for {@code bench webshop --agent-searches}. A prompt's placeholders ({@code search[query]},
 * {@code search[keywords]}) describe the action and are skipped.
 */
final class AgentSearches {

  /** An action as the environment reads it: the keywords up to the first closing bracket. */
  private static final Pattern SEARCH = Pattern.compile("search\\[([^\\]]*)\\]");

  private AgentSearches() {}

  /** Every search's keywords in the order the file holds them, repeats kept (agents repeat searches). */
  static List<String> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UserInputException("--agent-searches " + file + ": cannot read it (" + e.getMessage() + ")", e);
    }
    List<String> queries = new ArrayList<>();
    String start = text.stripLeading();
    if (start.startsWith("{") || start.startsWith("[")) {
      try {
        for (String s : jsonStrings(text)) {
          collect(s, queries);
        }
      } catch (JsonProcessingException e) {
        throw new UserInputException("--agent-searches " + file + ": not valid JSON or JSON lines at line "
            + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
            + e.getOriginalMessage(), e);
      } catch (IOException e) {
        throw new UserInputException("--agent-searches " + file + ": cannot read it (" + e.getMessage() + ")", e);
      }
    } else {
      collect(text, queries);
    }
    if (queries.isEmpty()) {
      throw new UserInputException("--agent-searches " + file + ": holds no search[...] action");
    }
    return queries;
  }

  /** Every string value in a JSON document or a sequence of them (JSON lines), in order. */
  private static List<String> jsonStrings(String text) throws IOException {
    List<String> strings = new ArrayList<>();
    try (JsonParser parser = new ObjectMapper().getFactory().createParser(text)) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t == JsonToken.VALUE_STRING) {
          strings.add(parser.getText());
        }
      }
    }
    return strings;
  }

  private static void collect(String text, List<String> into) {
    Matcher m = SEARCH.matcher(text);
    while (m.find()) {
      String keywords = m.group(1).strip();
      if (!keywords.isEmpty() && !keywords.equals("query") && !keywords.equals("keywords")) {
        into.add(keywords);
      }
    }
  }
}
