package org.eef4j.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eef4j.engine.io.DType;
import org.eef4j.engine.io.ModelFiles;
import org.eef4j.engine.model.ModelInit;
import org.eef4j.engine.model.Parameters;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our adapter files read by an independent implementation of PEFT's format: src/test/python/check_peft_adapter.py
 * (Python and torch only, since peft itself cannot be installed here) checks adapter_config.json's fields, the tensor
 * names and shapes PEFT and vLLM expect, and that our merged weights equal {@code W + (alpha/r)·B·A} as PEFT merges.
 */
class PeftFormatTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path SCRIPT = Path.of("src/test/python/check_peft_adapter.py");

  record Run(int exit, String output) {}

  private static Run check(Path adapter, Path base, Path merged) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), adapter.toString(), base.toString(),
        merged.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the checker finished").isTrue();
    return new Run(p.exitValue(), out);
  }

  private static void assumePythonWithTorch() throws IOException, InterruptedException {
    Assumptions.assumeTrue(Files.isExecutable(PYTHON), "skipped: needs " + PYTHON + " (with torch) to run " + SCRIPT);
    Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    Assumptions.assumeTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0,
        "skipped: " + PYTHON + " cannot import torch, which " + SCRIPT + " needs");
    Assumptions.assumeTrue(Files.isRegularFile(SCRIPT), "skipped: " + SCRIPT + " not found from " + Path.of("").toAbsolutePath());
  }

  @Test
  void anAdapterWeWriteIsReadAsPeftReadsItAndMergesAsPeftMerges(@TempDir Path tmp) throws Exception {
    assumePythonWithTorch();
    Parameters base = ModelInit.normal(LoraTest.TINY, 1, 0.3);
    LoraConfig config = new LoraConfig(3, 16, 0.05, LoraConfig.targets(List.of("q_proj", "v_proj", "o_proj", "up_proj",
        "down_proj")));
    LoraAdapter adapter = LoraTest.randomAdapter(config, 21);
    PeftFiles.save(adapter, tmp.resolve("adapter"), "tiny-base");
    ModelFiles.save(tmp.resolve("base"), base, DType.F32);
    Parameters merged = base.copy();
    adapter.mergeInto(merged);
    ModelFiles.save(tmp.resolve("merged"), merged, DType.F32);

    Run ok = check(tmp.resolve("adapter"), tmp.resolve("base/model.safetensors"), tmp.resolve("merged/model.safetensors"));
    assertThat(ok.output()).startsWith("ok: " + 2 * 5 + " adapted weights");
    assertThat(ok.exit()).isZero();

    // the checker is not a rubber stamp: a merge that is off in one weight, or a config PEFT would misread, fails it
    Parameters wrong = merged.copy();
    wrong.data()[base.layout().layer(1).v() + 5] += 1e-2f;
    ModelFiles.save(tmp.resolve("wrong"), wrong, DType.F32);
    Run bad = check(tmp.resolve("adapter"), tmp.resolve("base/model.safetensors"), tmp.resolve("wrong/model.safetensors"));
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.output()).contains("model.layers.1.self_attn.v_proj.weight: merged differs");
    Path config2 = tmp.resolve("adapter/adapter_config.json");
    Files.writeString(config2, Files.readString(config2).replace("\"CAUSAL_LM\"", "\"SEQ_CLS\""));
    assertThat(check(tmp.resolve("adapter"), tmp.resolve("base/model.safetensors"),
        tmp.resolve("merged/model.safetensors")).output()).contains("task_type");
  }
}
