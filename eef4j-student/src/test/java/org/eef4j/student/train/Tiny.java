package org.eef4j.student.train;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.Tokenizer;
import org.eef4j.engine.tokenizer.TrainedBpe;
import org.eef4j.student.model.ChatFormat;

/** A tiny ChatML tokenizer trained on WebShop-like text and a tiny model config over it. */
final class Tiny {

  private Tiny() {}

  static final TrainedBpe BPE = train();
  static final Tokenizer TOKENIZER = BPE.tokenizer();
  static final ChatFormat FORMAT = ChatFormat.compact(TOKENIZER);

  private static TrainedBpe train() {
    List<String> corpus = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      corpus.add("Thought: I should search for item " + i + ". Action: search[red shoes size " + i + "]");
      corpus.add("Observation: the results page " + i + " shows the product. Action: click[buy now]");
    }
    return BpeTrainer.train(corpus, BpeTrainer.Config.chatMl(320));
  }

  static ModelConfig config() {
    return new ModelConfig("llama", TOKENIZER.vocabSize(), 32, 64, 2, 4, 2, 8, 1e-5, 10000, true, false, false, 256);
  }
}
