package org.eef4j.engine.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes tokenizer/expected-ids-MODEL.json: the Hugging Face library's ids for each paragraph of corpus.txt, so that
 * {@link ExpectedIdsTest} checks our tokenizer even where the library's native code cannot load. Run once, from the
 * module folder, after changing corpus.txt:
 * {@code java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes:DEPS
 * org.eef4j.engine.tokenizer.ExpectedIdsWriter ../../shared src/test/resources/tokenizer}
 */
public final class ExpectedIdsWriter {

    private ExpectedIdsWriter() {}

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String corpus = Files.readString(out.resolve("corpus.txt"));
        ObjectMapper json = new ObjectMapper();
        for (String model : new String[] {"llama3", "qwen3"}) {
            try (HfOracle hf = HfOracle.open(shared.resolve("fixtures/tokenizers/" + model + "/tokenizer.json"))) {
                ObjectNode root = json.createObjectNode();
                root.put("format", "eef4j-expected-ids");
                root.put("version", 1);
                root.put("source", "Hugging Face tokenizers via ai.djl.huggingface:tokenizers, add_special_tokens=false");
                ArrayNode cases = root.putArray("cases");
                for (String paragraph : corpus.split("\n\n")) {
                    ObjectNode c = cases.addObject();
                    c.put("text", paragraph);
                    ArrayNode ids = c.putArray("ids");
                    for (int id : hf.encode(paragraph, false)) {
                        ids.add(id);
                    }
                }
                Files.writeString(out.resolve("expected-ids-" + model + ".json"), json.writeValueAsString(root) + "\n");
            }
        }
    }
}
