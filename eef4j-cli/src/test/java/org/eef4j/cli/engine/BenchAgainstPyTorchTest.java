package org.eef4j.cli.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.eef4j.cli.Main;
import org.eef4j.cli.engine.PyTorchYardstick.YardstickException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench engine --against-pytorch} with a stand-in python and yardstick (shell scripts), so that the arguments,
 * the alternation, the ratio and every failure path are checked without PyTorch; the real comparison is a benchmark
 * run by hand (README).
 */
class BenchAgainstPyTorchTest {

  private static final String OPENBLAS_PROBE =
      "{\"torch\": \"1.13.0\", \"blas\": [\"/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3\"]}";

  @TempDir Path dir;
  private Path modelConfig;

  @BeforeEach
  void tinyModel() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "skipped: the stand-in python and yardstick are /bin/sh scripts");
    modelConfig = dir.resolve("config.json");
    Files.writeString(modelConfig, """
        {"model_type": "llama", "vocab_size": 64, "hidden_size": 32, "intermediate_size": 48,
         "num_hidden_layers": 1, "num_attention_heads": 4, "num_key_value_heads": 2,
         "max_position_embeddings": 32, "tie_word_embeddings": true}
        """);
  }

  private record Result(int code, String out, String err) {}

  private static Result run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** The bench arguments of a quick run of the tiny model, against the given python and yardstick. */
  private List<String> args(String config, Path python, Path script, String... more) {
    List<String> a = new ArrayList<>(List.of("bench", "engine", "--config", config, "--batch", "2", "--seq", "16",
        "--steps", "3", "--warmup", "1", "--matmul-size", "64", "--matmul-shape", "40x24x56", "--gen-batch", "1",
        "--gen-prompt", "4",
        "--gen-tokens", "2", "--python", python.toString(), "--against-pytorch=" + script));
    a.addAll(List.of(more));
    return a;
  }

  private Path executable(String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  /**
   * A python that answers the BLAS probe ({@code -c CODE}) with {@code probe}, the sgemm yardstick ({@code -c CODE
   * THREADS REPS SHAPES}) with 50 and 200 GFLOP/s for the two shapes after recording its arguments in sgemm.txt, and
   * runs any script as a shell script.
   */
  private Path python(String probe) throws IOException {
    return executable("python", """
        if [ "$1" = "-c" ] && [ $# -gt 5 ]; then
          shift 2
          echo "$@" >> "$(dirname "$0")/lora.txt"
          echo "LoRA step on stderr" >&2
          echo '{"engine": "pytorch fake (LoRA in plain torch)", "threads": 2, "train_tokens_per_s": 40.0,'\
        ' "median_step_s": 0.8, "peak_rss_bytes": 2147483648}'
          exit 0
        fi
        if [ "$1" = "-c" ] && [ $# -gt 2 ]; then
          echo "$3 $4 $5" >> "$(dirname "$0")/sgemm.txt"
          echo '{"engine": "pytorch fake", "threads": 2, "shapes": [{"m": 64, "n": 64, "k": 64, "gflops": 50.0},'\
        ' {"m": 40, "n": 24, "k": 56, "gflops": 200.0}]}'
          exit 0
        fi
        if [ "$1" = "-c" ]; then printf '%s\\n' '""" + probe + """
        '; exit 0; fi
        exec /bin/sh "$@"
        """);
  }

  /**
   * A yardstick that records its arguments one run a line in args.txt, copies the config it is given to config-N.json,
   * writes a line to stderr and some noise to stdout, and reports the next of {@code rates}.
   */
  private Path yardstick(double... rates) throws IOException {
    StringBuilder cases = new StringBuilder();
    for (int i = 0; i < rates.length; i++) cases.append("  ").append(i + 1).append(") rate=").append(rates[i]).append(";;\n");
    return executable("yardstick.sh", """
        cd "$(dirname "$0")"
        echo "$@" >> args.txt
        n=$(wc -l < args.txt)
        cp "$2" "config-$n.json"
        case $n in
        """ + cases + """
        esac
        echo "yardstick run $n on stderr" >&2
        echo "loading the model..."
        echo "{\\"engine\\": \\"pytorch fake\\", \\"threads\\": 2, \\"train_tokens_per_s\\": $rate, \\"median_step_s\\": 0.5}"
        """);
  }

  @Test
  void runsTheYardstickWithTheSameShapeInAlternationAndReportsTheRatio() throws Exception {
    Result r = run(args(modelConfig.toString(), python(OPENBLAS_PROBE), yardstick(100, 50, 80), "--rounds", "3", "--json"));

    assertThat(r.code()).as(r.err()).isZero();
    List<String> calls = Files.readAllLines(dir.resolve("args.txt"));
    assertThat(calls).hasSize(3).allSatisfy(call -> assertThat(call).matches(
        "bench " + modelConfig.toAbsolutePath() + " --batch 2 --seq 16 --steps 3 --threads \\d+"));
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertThat(o.get("pytorch_train_tokens_per_s").asDouble()).isEqualTo(100.0);
    assertThat(doubles(o.get("pytorch_train_tokens_per_s_runs"))).containsExactly(100.0, 50.0, 80.0);
    assertThat(o.get("pytorch_engine").asText()).isEqualTo("pytorch fake");
    List<Double> ours = doubles(o.get("train_tokens_per_s_runs"));
    assertThat(ours).hasSize(3).allSatisfy(rate -> assertThat(rate).isPositive());
    double bestOurs = ours.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    double medianOurs = ours.stream().sorted().toList().get(1);
    assertThat(o.get("train_tokens_per_s").asDouble()).isEqualTo(bestOurs);
    assertThat(o.get("train_ratio_vs_pytorch").asDouble()).isCloseTo(bestOurs / 100, within(bestOurs / 100));
    assertThat(o.get("train_ratio_vs_pytorch_median").asDouble()).isCloseTo(medianOurs / 80, within(medianOurs / 80));
    // matmul against OpenBLAS: one sgemm run per round, with the bench's threads, over both shapes
    assertThat(Files.readAllLines(dir.resolve("sgemm.txt"))).hasSize(3)
        .allSatisfy(call -> assertThat(call).matches("\\d+ 9 \\[\\[64,64,64\\],\\[40,24,56\\]\\]"));
    JsonNode shapes = o.get("matmul_shapes");
    assertThat(shapes).hasSize(2);
    assertThat(shapes.get(0).get("shape").asText()).isEqualTo("64x64x64");
    assertThat(shapes.get(0).get("openblas_gflops").asDouble()).isEqualTo(50.0);
    assertThat(shapes.get(1).get("openblas_gflops").asDouble()).isEqualTo(200.0);
    for (JsonNode shape : shapes) {
      double ratio = shape.get("gflops").asDouble() / shape.get("openblas_gflops").asDouble();
      assertThat(shape.get("fraction_of_openblas").asDouble()).isCloseTo(ratio, within(ratio));
    }
    assertThat(o.get("vector_bits").asInt()).isIn(0, 128, 256, 512);
    assertThat(o.get("gemm_tile").asText()).isNotBlank();
    // eef4j first, then PyTorch, round after round; the yardstick's stderr passed through as it ran
    assertThat(r.err()).containsSubsequence("round 1/3: eef4j", "round 1/3: PyTorch", "yardstick run 1 on stderr",
        "round 2/3: eef4j", "round 2/3: PyTorch", "yardstick run 2 on stderr", "round 3/3: eef4j",
        "round 3/3: PyTorch", "yardstick run 3 on stderr");
  }

  /** Rounding in the JSON: 4 decimals on the ratio, 3 on the rates. */
  private static org.assertj.core.data.Offset<Double> within(double ratio) {
    return org.assertj.core.data.Offset.offset(1e-4 + ratio * 1e-4);
  }

  private static List<Double> doubles(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asDouble).toList();
  }

  @Test
  void loraRunsThePlainTorchLoraStepWithTheSameShapeAndRankAndReportsBothPeakMemories() throws Exception {
    Path script = yardstick(100);
    Result r = run(args(modelConfig.toString(), python(OPENBLAS_PROBE), script, "--lora", "4", "--rounds", "2", "--json"));

    assertThat(r.code()).as(r.err()).isZero();
    // the LoRA step, not the full-training bench: script, config, batch, seq, steps, threads, rank, alpha
    assertThat(dir.resolve("args.txt")).doesNotExist();
    assertThat(Files.readAllLines(dir.resolve("lora.txt"))).hasSize(2).allSatisfy(call -> assertThat(call).isEqualTo(
        script.toAbsolutePath() + " " + modelConfig.toAbsolutePath() + " 2 16 3 " + call.split(" ")[5] + " 4 8.0"));
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertThat(o.get("lora_rank").asInt()).isEqualTo(4);
    // rank 4 on the tiny model's seven projections: 4·(in + out) each, one layer
    assertThat(o.get("adapter_params").asLong()).isEqualTo(4L * ((32 + 32) + (32 + 16) * 2 + (32 + 32) + (32 + 48) * 2 + (48 + 32)));
    assertThat(o.get("pytorch_train_tokens_per_s").asDouble()).isEqualTo(40.0);
    assertThat(o.get("pytorch_peak_rss_bytes").asLong()).isEqualTo(2147483648L);
    assertThat(o.get("train_peak_rss_bytes").asLong()).isPositive();
    assertThat(o.get("train_live_heap_bytes").asLong()).isPositive();
    assertThat(r.err()).containsSubsequence("round 1/2: eef4j LoRA training", "round 1/2: PyTorch LoRA training",
        "[pytorch] LoRA step on stderr", "round 2/2: eef4j LoRA training");
  }

  @Test
  void textOutputNamesBothRatesAndTheRatio() throws Exception {
    Result r = run(args(modelConfig.toString(), python(OPENBLAS_PROBE), yardstick(100), "--rounds", "1"));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("pytorch: 100.0 tokens/s (pytorch fake, 2 threads, best of 1 runs)")
        .contains("pytorch 100.0").contains("train ratio eef4j/pytorch: ").contains("gemm tile: ")
        .containsPattern("matmul 64x64x64: [0-9.]+ GFLOP/s, OpenBLAS sgemm 50\\.0 GFLOP/s: [0-9.]+ of OpenBLAS")
        .containsPattern("matmul 40x24x56: [0-9.]+ GFLOP/s, OpenBLAS sgemm 200\\.0 GFLOP/s: [0-9.]+ of OpenBLAS");
  }

  @Test
  void theBundledConfigReachesPyTorchAsATemporaryFileThatIsDeletedAfterwards() throws Exception {
    List<String> a = new ArrayList<>(args("bench-6.4m", python(OPENBLAS_PROBE), yardstick(100), "--rounds", "1", "--json"));
    // the 6.4M model at a shape small enough for a test
    a.set(a.indexOf("--seq") + 1, "2");
    a.set(a.indexOf("--batch") + 1, "1");
    a.set(a.indexOf("--steps") + 1, "1");
    a.set(a.indexOf("--warmup") + 1, "0");
    a.set(a.indexOf("--gen-prompt") + 1, "1");
    a.set(a.indexOf("--gen-tokens") + 1, "1");
    Result r = run(a);

    assertThat(r.code()).as(r.err()).isZero();
    String call = Files.readAllLines(dir.resolve("args.txt")).getFirst();
    Path given = Path.of(call.split(" ")[1]);
    assertThat(given).doesNotExist();
    try (InputStream bundled = getClass().getResourceAsStream("/configs/bench-6.4m.json")) {
      assertThat(Files.readAllBytes(dir.resolve("config-1.json"))).isEqualTo(bundled.readAllBytes());
    }
  }

  @Test
  void aMissingYardstickIsAUsageErrorBeforeAnythingRuns() throws Exception {
    Result r = run(args(modelConfig.toString(), python(OPENBLAS_PROBE), dir.resolve("no-such-script.py")));

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("no-such-script.py does not exist").contains("--against-pytorch=SCRIPT")
        .doesNotContain("round 1");
  }

  @Test
  void aPythonWithoutTorchNamesTheInstaller() throws Exception {
    Path noTorch = executable("python", """
        echo "Traceback (most recent call last):" >&2
        echo "ModuleNotFoundError: No module named 'torch'" >&2
        exit 1
        """);
    Result r = run(args(modelConfig.toString(), noTorch, yardstick(100)));

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("cannot import torch").contains("No module named 'torch'")
        .contains("bin/install-torch-reference").doesNotContain("round 1");
  }

  @Test
  void aMissingPythonNamesTheInstaller() throws Exception {
    Result r = run(args(modelConfig.toString(), dir.resolve("no-python"), yardstick(100)));

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("cannot run " + dir.resolve("no-python")).contains("bin/install-torch-reference");
  }

  @Test
  void pyTorchOnTheReferenceBlasIsRefusedWithTheFix() throws Exception {
    Path python = python("{\"torch\": \"1.13.0\", \"blas\": [\"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0\"]}");
    Result r = run(args(modelConfig.toString(), python, yardstick(100)));

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("reference BLAS").contains("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0")
        .contains("bin/install-torch-reference").doesNotContain("round 1");
    assertThat(dir.resolve("args.txt")).doesNotExist();
  }

  @Test
  void aFailingYardstickReportsItsExitCodeAndPassesItsStderrThrough() throws Exception {
    Path failing = executable("failing.sh", "echo 'RuntimeError: out of memory' >&2\nexit 3\n");
    Result r = run(args(modelConfig.toString(), python(OPENBLAS_PROBE), failing));

    assertThat(r.code()).isEqualTo(Main.FAILED);
    assertThat(r.err()).contains("[pytorch] RuntimeError: out of memory").contains("failed with exit code 3");
  }

  @Test
  void aYardstickPrintingNoJsonIsAnError() throws Exception {
    Path garbage = executable("garbage.sh", "echo 'tokens per second: lots'\n");
    Result r = run(args(modelConfig.toString(), python(OPENBLAS_PROBE), garbage));

    assertThat(r.code()).isEqualTo(Main.FAILED);
    assertThat(r.err()).contains("printed no JSON line").contains("tokens per second: lots");
  }

  @Test
  void aHungYardstickIsKilledAfterTheTimeout() throws Exception {
    // not exec: the sleep is a grandchild of ours, which has to be killed too for its pipes to close
    Path hung = executable("hung.sh", "sleep 60\necho '{\"train_tokens_per_s\": 1}'\n");
    Result r = run(args(modelConfig.toString(), python(OPENBLAS_PROBE), hung, "--pytorch-timeout", "1"));

    assertThat(r.code()).isEqualTo(Main.FAILED);
    assertThat(r.err()).contains("did not finish within 1 s");
  }

  @Test
  void badRoundsOrTimeoutAreUsageErrors() throws Exception {
    assertThat(run(args(modelConfig.toString(), python(OPENBLAS_PROBE), yardstick(100), "--rounds", "0")).code())
        .isEqualTo(Main.USAGE);
    assertThat(run(args(modelConfig.toString(), python(OPENBLAS_PROBE), yardstick(100), "--pytorch-timeout", "0")).code())
        .isEqualTo(Main.USAGE);
  }

  @Test
  void theLastJsonLineCountsAndItsRateMustBeAPositiveNumber() {
    assertThat(PyTorchYardstick.parse("""
        {"note": "an earlier line"}
        warming up
        {"engine": "pytorch 2.5", "threads": 4, "train_tokens_per_s": 2900.5, "median_step_s": 0.7}
        """, "s").tokensPerS()).isEqualTo(2900.5);
    assertThat(PyTorchYardstick.parse("{\"train_tokens_per_s\": 7}", "s").threads()).isZero();
    assertThatThrownBy(() -> PyTorchYardstick.parse("{\"train_tokens_per_s\": \"fast\"}", "s.py"))
        .isInstanceOf(YardstickException.class).hasMessageContaining("s.py").hasMessageContaining("train_tokens_per_s");
    assertThatThrownBy(() -> PyTorchYardstick.parse("{\"train_tokens_per_s\": -1}", "s.py"))
        .isInstanceOf(YardstickException.class);
    assertThatThrownBy(() -> PyTorchYardstick.parse("{\"train_tokens_per_s\": 1", "s.py"))
        .isInstanceOf(YardstickException.class).hasMessageContaining("no JSON line");
  }

  @Test
  void onlyDebiansNetlibLibraryCountsAsTheReferenceBlas() {
    assertThat(PyTorchYardstick.isReferenceBlas("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3")).isTrue();
    assertThat(PyTorchYardstick.isReferenceBlas("/usr/lib/aarch64-linux-gnu/blas/libblas.so.3.11.0")).isTrue();
    assertThat(PyTorchYardstick.isReferenceBlas("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3")).isFalse();
    assertThat(PyTorchYardstick.isReferenceBlas("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"))
        .isFalse();
    assertThat(PyTorchYardstick.isReferenceBlas("/opt/torch/lib/libblas.so.3")).isFalse();
  }

  @Test
  void theDefaultYardstickIsTorchReferenceInTheSharedFolder() {
    String shared = System.getProperty("eef4j.shared");
    assumeTrue(shared != null, "skipped: surefire sets -Deef4j.shared; this run did not");
    assertThat(PyTorchYardstick.defaultScript()).isEqualTo(Path.of(shared).resolve("tools/torch_reference.py"));
  }
}
