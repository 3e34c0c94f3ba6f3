package org.eef4j.student;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.TrainedBpe;

/** A tiny ChatML tokenizer trained on WebShop-like text, and a small random model over its vocabulary. */
final class TinyModels {

  private TinyModels() {}

  static TrainedBpe tokenizer() {
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      corpus.add("Thought: I should search for item " + i + ". Action: search[red shoes size " + i + "]");
      corpus.add("Observation: the results page " + i + " shows the product. Action: click[buy now]");
    }
    return BpeTrainer.train(corpus, BpeTrainer.Config.chatMl(320));
  }

  static ModelConfig config(int vocab) {
    return new ModelConfig("llama", vocab, 32, 64, 2, 4, 2, 8, 1e-5, 10000, true, false, false, 256);
  }

  /** Wide weights, so that the random model's choices vary from prompt to prompt. */
  static Parameters model(int vocab) {
    return ModelInit.normal(config(vocab), 3, 0.4);
  }
}
