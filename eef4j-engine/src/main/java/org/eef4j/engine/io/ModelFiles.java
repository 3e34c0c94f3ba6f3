package org.eef4j.engine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.eef4j.engine.model.ModelConfig;
import org.eef4j.engine.model.ParamLayout;
import org.eef4j.engine.model.Parameters;

/**
 * A Hugging Face model directory: config.json plus model.safetensors (or shards with an index). Loading checks that
 * every weight the architecture needs is there with its exact shape, and that nothing unexpected is, so that a model
 * from the wrong family fails here and not as silent garbage.
 */
public final class ModelFiles {

  /** Tensors some checkpoints carry that the model recomputes or does not need. */
  private static final Set<String> IGNORABLE_SUFFIXES = Set.of("rotary_emb.inv_freq");

  private ModelFiles() {}

  public static Parameters load(Path dir) {
    ModelConfig config = HfConfig.read(dir.resolve("config.json"));
    try (TensorSource src = Checkpoint.open(dir)) {
      return loadWeights(config, src, dir.toString());
    }
  }

  /** Reads every weight of {@code config}'s architecture from {@code src}, widened to float32. */
  public static Parameters loadWeights(ModelConfig config, TensorSource src, String where) {
    ParamLayout layout = new ParamLayout(config);
    Parameters p = new Parameters(layout);
    for (ParamLayout.Tensor t : layout.tensors()) {
      if (!src.names().contains(t.name())) {
        throw new SafeTensorsException(where + ": weight " + t.name() + " " + Arrays.toString(t.shape()) + " is missing");
      }
      TensorInfo info = src.info(t.name());
      long[] want = Arrays.stream(t.shape()).asLongStream().toArray();
      if (!Arrays.equals(info.shape(), want)) {
        throw new SafeTensorsException(where + ": weight " + t.name() + " has shape " + info.shapeString()
            + ", the config needs " + Arrays.toString(want));
      }
      if (!info.dtype().isFloat()) {
        throw new SafeTensorsException(where + ": weight " + t.name() + " is " + info.dtype() + ", not a float type");
      }
      src.readFloats(t.name(), p.data(), t.offset());
    }
    for (String name : src.names()) {
      if (layout.has(name) || IGNORABLE_SUFFIXES.stream().anyMatch(name::endsWith)) continue;
      if (name.equals("lm_head.weight") && config.tieWordEmbeddings()) continue; // some tied checkpoints keep a copy
      throw new SafeTensorsException(where + ": unexpected tensor " + name + " for a " + config.modelType() + " model");
    }
    return p;
  }

  /**
   * Writes {@code dir/config.json} and {@code dir/model.safetensors} (tensors under their Hugging Face names, in
   * {@code dtype}, F32 or BF16), the layout transformers' from_pretrained loads.
   */
  public static void save(Path dir, Parameters p, DType dtype) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("creating " + dir, e);
    }
    HfConfig.write(p.layout().config(), dir.resolve("config.json"));
    SafeTensorsWriter w = new SafeTensorsWriter().metadata("format", "pt");
    for (ParamLayout.Tensor t : p.layout().tensors()) {
      w.add(t.name(), dtype, Arrays.stream(t.shape()).asLongStream().toArray(), p.data(), t.offset());
    }
    w.write(dir.resolve(Checkpoint.SINGLE));
  }
}
