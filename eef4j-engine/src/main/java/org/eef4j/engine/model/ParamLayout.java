package org.eef4j.engine.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each named weight lives in one flat float array. Weights, their gradients and the optimizer's moments all use the
 * same layout, so an update is a loop over one array rather than over millions of small objects, and a tensor is found
 * by its Hugging Face name. Names and shapes follow transformers' LlamaForCausalLM / Qwen2ForCausalLM.
 */
public final class ParamLayout {

  /** One named tensor: {@code size} floats from {@code offset}, row-major with the given shape. */
  public record Tensor(String name, int offset, int[] shape) {
    public Tensor {
      shape = shape.clone();
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    public int size() {
      int n = 1;
      for (int d : shape) n *= d;
      return n;
    }

    /** A vector (a norm weight or a bias), as opposed to a matrix. */
    public boolean isVector() {
      return shape.length == 1;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t && name.equals(t.name) && offset == t.offset && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name + Arrays.toString(shape) + "@" + offset;
    }
  }

  /** Offsets of one decoder layer's weights (-1 for a bias the architecture lacks). */
  public record Layer(int inputNorm, int q, int qBias, int k, int kBias, int v, int vBias, int o, int oBias,
      int postNorm, int gate, int up, int down) {}

  private final ModelConfig config;
  private final Map<String, Tensor> byName;
  private final List<Tensor> tensors;
  private final Layer[] layers;
  private final int embed;
  private final int finalNorm;
  private final int lmHead;
  private final int size;

  public ParamLayout(ModelConfig c) {
    this.config = c;
    Map<String, Tensor> map = new LinkedHashMap<>();
    int[] at = {0};
    int h = c.hiddenSize();
    embed = add(map, at, "model.embed_tokens.weight", c.vocabSize(), h);
    layers = new Layer[c.numLayers()];
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      int inNorm = add(map, at, p + "input_layernorm.weight", h);
      int q = add(map, at, p + "self_attn.q_proj.weight", c.qDim(), h);
      int qb = c.qkvBias() ? add(map, at, p + "self_attn.q_proj.bias", c.qDim()) : -1;
      int k = add(map, at, p + "self_attn.k_proj.weight", c.kvDim(), h);
      int kb = c.qkvBias() ? add(map, at, p + "self_attn.k_proj.bias", c.kvDim()) : -1;
      int v = add(map, at, p + "self_attn.v_proj.weight", c.kvDim(), h);
      int vb = c.qkvBias() ? add(map, at, p + "self_attn.v_proj.bias", c.kvDim()) : -1;
      int o = add(map, at, p + "self_attn.o_proj.weight", h, c.qDim());
      int ob = c.outputBias() ? add(map, at, p + "self_attn.o_proj.bias", h) : -1;
      int post = add(map, at, p + "post_attention_layernorm.weight", h);
      int gate = add(map, at, p + "mlp.gate_proj.weight", c.intermediateSize(), h);
      int up = add(map, at, p + "mlp.up_proj.weight", c.intermediateSize(), h);
      int down = add(map, at, p + "mlp.down_proj.weight", h, c.intermediateSize());
      layers[i] = new Layer(inNorm, q, qb, k, kb, v, vb, o, ob, post, gate, up, down);
    }
    finalNorm = add(map, at, "model.norm.weight", h);
    lmHead = c.tieWordEmbeddings() ? embed : add(map, at, "lm_head.weight", c.vocabSize(), h);
    this.size = at[0];
    this.byName = Collections.unmodifiableMap(map);
    this.tensors = List.copyOf(new ArrayList<>(map.values()));
  }

  private static int add(Map<String, Tensor> map, int[] at, String name, int... shape) {
    long n = 1;
    for (int d : shape) n *= d;
    if (at[0] + n > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("the model's weights exceed one Java array (2^31 floats) at " + name);
    }
    int offset = at[0];
    map.put(name, new Tensor(name, offset, shape));
    at[0] += (int) n;
    return offset;
  }

  public ModelConfig config() {
    return config;
  }

  /** Total floats. */
  public int size() {
    return size;
  }

  /** Every tensor in storage order (the tied lm_head is not a tensor of its own). */
  public List<Tensor> tensors() {
    return tensors;
  }

  public Tensor tensor(String name) {
    Tensor t = byName.get(name);
    if (t == null) throw new IllegalArgumentException("no weight named " + name + " in a " + config.modelType() + " model");
    return t;
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  public Layer layer(int i) {
    return layers[i];
  }

  public int embed() {
    return embed;
  }

  public int finalNorm() {
    return finalNorm;
  }

  /** The output projection's offset: the embedding's own when the weights are tied. */
  public int lmHead() {
    return lmHead;
  }
}
