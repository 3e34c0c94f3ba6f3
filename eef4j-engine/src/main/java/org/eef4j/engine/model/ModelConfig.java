package org.eef4j.engine.model;

/**
 * The shape of a Llama-architecture decoder (Llama, Qwen2): what Hugging Face's config.json says, validated once here so
 * that every op can trust its dimensions.
 *
 * @param modelType Hugging Face's {@code model_type} ("llama", "qwen2"); decides where the attention biases go
 * @param vocabSize rows of the token embedding (and of an untied lm_head)
 * @param hiddenSize width of the residual stream
 * @param intermediateSize width of the SwiGLU MLP
 * @param numLayers decoder blocks
 * @param numHeads query heads
 * @param numKvHeads key/value heads; each is shared by {@code numHeads / numKvHeads} query heads (grouped-query attention)
 * @param headDim width of one head; {@code hiddenSize / numHeads} unless the config says otherwise
 * @param rmsNormEps added to the mean square before the reciprocal square root
 * @param ropeTheta base of the rotary frequencies
 * @param tieWordEmbeddings whether lm_head reuses the token embedding (no lm_head.weight tensor)
 * @param qkvBias whether q/k/v projections carry biases (Qwen2 always; Llama when attention_bias)
 * @param outputBias whether o_proj carries a bias (Llama with attention_bias; never Qwen2)
 * @param maxPositionEmbeddings the longest sequence the model was trained for; longer inputs are refused
 */
public record ModelConfig(
    String modelType,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    double rmsNormEps,
    double ropeTheta,
    boolean tieWordEmbeddings,
    boolean qkvBias,
    boolean outputBias,
    int maxPositionEmbeddings) {

  public ModelConfig {
    if (modelType == null || modelType.isBlank()) throw new IllegalArgumentException("model_type is missing");
    positive("vocab_size", vocabSize);
    positive("hidden_size", hiddenSize);
    positive("intermediate_size", intermediateSize);
    positive("num_hidden_layers", numLayers);
    positive("num_attention_heads", numHeads);
    positive("num_key_value_heads", numKvHeads);
    positive("head_dim", headDim);
    positive("max_position_embeddings", maxPositionEmbeddings);
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException(
          "num_attention_heads (" + numHeads + ") is not a multiple of num_key_value_heads (" + numKvHeads + ")");
    }
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException("head_dim (" + headDim + ") must be even for rotary embeddings");
    }
    if (!(rmsNormEps > 0) || !Double.isFinite(rmsNormEps)) {
      throw new IllegalArgumentException("rms_norm_eps must be a positive number, got " + rmsNormEps);
    }
    if (!(ropeTheta > 1) || !Double.isFinite(ropeTheta)) {
      throw new IllegalArgumentException("rope_theta must be a number above 1, got " + ropeTheta);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) throw new IllegalArgumentException(name + " must be positive, got " + value);
  }

  /** Query heads that share one key/value head. */
  public int groupSize() {
    return numHeads / numKvHeads;
  }

  /** Width of all query heads together (the q_proj output, the o_proj input). */
  public int qDim() {
    return numHeads * headDim;
  }

  /** Width of all key (or value) heads together. */
  public int kvDim() {
    return numKvHeads * headDim;
  }
}
