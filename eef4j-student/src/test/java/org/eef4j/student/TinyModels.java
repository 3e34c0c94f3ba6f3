package org.eef4j.student;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.Tokenizer;

/** A byte-level tokenizer with the compact template's specials, and a small random model over its vocabulary. */
final class TinyModels {

  private TinyModels() {}

  /** tokenizer.json text: the 256 byte tokens (GPT-2's byte-to-character table), a few merges, the specials. */
  static String tokenizerJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    ObjectNode vocab = model.putObject("vocab");
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      vocab.put(String.valueOf(printable ? (char) b : (char) next++), b);
    }
    ArrayNode merges = model.putArray("merges");
    String[][] pairs = {{"t", "h"}, {"th", "e"}, {"Ġ", "a"}, {"c", "k"}};
    int id = 256;
    for (String[] p : pairs) {
      merges.add(p[0] + " " + p[1]);
      vocab.put(p[0] + p[1], id++);
    }
    ArrayNode added = root.putArray("added_tokens");
    for (String s : ChatFormat.COMPACT_SPECIALS) {
      ObjectNode t = added.addObject();
      t.put("id", id++);
      t.put("content", s);
      t.put("special", true);
    }
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "ByteLevel");
    pre.put("add_prefix_space", false);
    pre.put("use_regex", true);
    root.putObject("decoder").put("type", "ByteLevel");
    return root.toString();
  }

  static Tokenizer tokenizer() {
    return Tokenizer.fromJson(tokenizerJson(), "tiny tokenizer.json");
  }

  static ModelConfig config(int vocab) {
    return new ModelConfig("llama", vocab, 32, 64, 2, 4, 2, 8, 1e-5, 10000, true, false, false, 256);
  }

  /** Wide weights, so that the random model's choices vary from prompt to prompt. */
  static Parameters model(int vocab) {
    return ModelInit.normal(config(vocab), 3, 0.4);
  }
}
