package org.eef4j.engine.serve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.eef4j.engine.tokenizer.BpeTrainer;
import org.eef4j.engine.tokenizer.Tokenizer;

/** A small model directory made from nothing: a ChatML tokenizer trained on a few sentences and random Llama weights. */
final class TinyModelDir {

  private TinyModelDir() {}

  /** Writes the model into {@code dir} and returns its weights. */
  static Parameters write(Path dir, int hidden, int layers, int intermediate) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      texts.add("search for a red bottle of water, then click the first product and buy it " + i);
      texts.add("the quick brown fox jumps over the lazy dog; instruction: find shoes under 40 dollars");
    }
    BpeTrainer.train(texts, BpeTrainer.Config.chatMl(400)).save(dir);
    Tokenizer tokenizer = Tokenizer.load(dir);
    ModelConfig config = new ModelConfig("llama", tokenizer.vocabSize(), hidden, intermediate, layers, 4, 2,
        hidden / 4, 1e-5, 10000, false, false, false, 256);
    Parameters weights = ModelInit.normal(config, 7, 0.3); // wide weights: replies of varied tokens, not one repeated
    ModelFiles.save(dir, weights, DType.F32);
    return weights;
  }

  /** A model of some weight (hidden 256, 4 layers: decoding, not HTTP, takes most of a request's time). */
  static ServedModel make(Path dir) {
    write(dir, 256, 4, 688);
    return ServedModel.load(dir, "bench");
  }
}
