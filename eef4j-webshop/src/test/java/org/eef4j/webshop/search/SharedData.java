package org.eef4j.webshop.search;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shared WebShop data the search tests read, with a skip naming the missing path when it is absent. */
final class SharedData {
  private SharedData() {}

  static Path webshop1k(String name) {
    Path p = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("data/webshop-1k").resolve(name);
    assumeTrue(Files.exists(p), "skipped: needs " + p + " (the ../shared folder beside the clone)");
    return p;
  }

  /** The (id, contents) pairs of products.jsonl, in file order. */
  static List<SearchDocument> productDocuments() {
    Path file = webshop1k("products.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<SearchDocument> docs = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.isBlank()) {
          JsonNode node = json.readTree(line);
          docs.add(new SearchDocument(node.get("id").asText(), node.get("contents").asText()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }
}
