package org.eef4j.cli.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eef4j.cli.common.UserInputException;

/**
 * Runs shared/tools/torch_reference.py's {@code bench} (or any script with its arguments and output) as a child process,
 * so that eef4j's training speed can be set against tuned PyTorch's on the same machine in the same run.
 *
 * <p>The child gets our environment unchanged (the script tunes its own: OpenBLAS kernels, OpenMP waiting, malloc), its
 * stderr is passed through line by line, it is killed with its descendants after the timeout, and its exit code and its
 * one JSON line are checked.
 */
final class PyTorchYardstick {

  /**
   * Debian's python: {@code python3-torch} installs there, while the {@code python3} first on a PATH (pyenv, a venv)
   * often has no torch.
   */
  static final String DEFAULT_PYTHON = "/usr/bin/python3";

  /** Where the fix for a missing or slow PyTorch lives, named in every error about the environment. */
  static final String INSTALLER = "bin/install-torch-reference";

  /**
   * Imports torch and lists the BLAS libraries the process then has mapped: the library actually loaded, whatever
   * libblas.so.3 links and alternatives say. Prints one JSON line.
   */
  private static final String PROBE = """
      import json, torch
      try:
          libs = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.split()[-1]})
      except OSError:
          libs = []
      print(json.dumps({'torch': torch.__version__, 'blas': libs}))
      """;

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(120);

  /**
   * PyTorch's float32 matrix product C = A·Bᵀ per shape, which Debian's torch hands to OpenBLAS's sgemm: median GFLOP/s
   * of the timed runs after three untimed ones. Arguments: threads, timed runs, the shapes as a JSON list of [m, n, k].
   */
  private static final String SGEMM = """
      import json, sys, time, torch
      threads, reps, shapes = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
      torch.set_num_threads(threads)
      torch.manual_seed(0)
      out = []
      for m, n, k in shapes:
          a = torch.rand(m, k) * 2 - 1
          b = torch.rand(n, k) * 2 - 1
          for _ in range(3):
              torch.mm(a, b.t())
          times = []
          for _ in range(reps):
              t0 = time.perf_counter()
              torch.mm(a, b.t())
              times.append(time.perf_counter() - t0)
          times.sort()
          out.append({"m": m, "n": n, "k": k, "gflops": 2.0 * m * n * k / times[len(times) // 2] / 1e9})
      print(json.dumps({"engine": "pytorch " + torch.__version__, "threads": torch.get_num_threads(), "shapes": out}))
      """;

  /**
   * A LoRA training step in plain PyTorch (peft is not needed, and Debian has no package of it): the model of the
   * yardstick script (its {@code Llama} class, loaded from the file), every weight frozen, each of the seven projections
   * of every layer wrapped as {@code base(x) + (α/r)·(x·Aᵀ)·Bᵀ} with A as PEFT initialises it and B zero, AdamW over
   * the adapter alone. One untimed step, then the median of the timed ones; peak RSS of the process from getrusage.
   * Arguments: script, config, batch, seq, steps, threads, rank, alpha. Prints one JSON line.
   */
  private static final String LORA = """
      import importlib.util, json, resource, sys, time, torch
      script, config = sys.argv[1], sys.argv[2]
      batch, seq, steps, threads, rank = map(int, sys.argv[3:8])
      alpha = float(sys.argv[8])
      spec = importlib.util.spec_from_file_location("torch_reference", script)
      ref = importlib.util.module_from_spec(spec)
      spec.loader.exec_module(ref)
      torch.set_num_threads(threads)
      with open(config) as f:
          c = json.load(f)
      torch.manual_seed(0)
      m = ref.Llama(c)
      for p in m.parameters():
          p.requires_grad_(False)

      class LoraLinear(torch.nn.Module):
          def __init__(self, base):
              super().__init__()
              self.base = base
              bound = base.in_features ** -0.5
              self.a = torch.nn.Parameter(torch.empty(rank, base.in_features).uniform_(-bound, bound))
              self.b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
              self.scale = alpha / rank

          def forward(self, x):
              return self.base(x) + (x @ self.a.t() * self.scale) @ self.b.t()

      lora = []
      for layer in m.layers:
          for name in ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"):
              wrapped = LoraLinear(getattr(layer, name))
              setattr(layer, name, wrapped)
              lora += [wrapped.a, wrapped.b]
      opt = torch.optim.AdamW(lora, lr=1e-4)
      ids = torch.randint(0, c["vocab_size"], (batch, seq))
      mask = torch.ones(batch, seq, dtype=torch.int64)

      def step():
          opt.zero_grad(set_to_none=True)
          ref.masked_loss(m(ids), ids, mask).backward()
          opt.step()

      step()
      times = []
      for _ in range(steps):
          t0 = time.perf_counter()
          step()
          times.append(time.perf_counter() - t0)
      times.sort()
      med = times[len(times) // 2]
      print(json.dumps({"engine": "pytorch " + torch.__version__ + " (LoRA in plain torch)", "threads": threads,
                        "lora_params": sum(p.numel() for p in lora), "train_tokens_per_s": batch * seq / med,
                        "median_step_s": med, "min_step_s": times[0],
                        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
      """;

  /**
   * The environment torch_reference.py's bench gives itself (passive OpenMP waiting, malloc thresholds that keep large
   * buffers from step to step, OpenBLAS's AVX-512 kernels where the CPU has them unless OPENBLAS_CORETYPE says
   * otherwise), plus OpenBLAS's own thread count, which torch.set_num_threads does not limit.
   */
  private static Map<String, String> tunedEnvironment(int threads) {
    Map<String, String> env = new HashMap<>(Map.of("OMP_WAIT_POLICY", "passive", "OPENBLAS_NUM_THREADS",
        String.valueOf(threads), "MALLOC_MMAP_THRESHOLD_", "1073741824", "MALLOC_TRIM_THRESHOLD_", "4294967296"));
    if (System.getenv("OPENBLAS_CORETYPE") == null && cpuHas("avx512f")) env.put("OPENBLAS_CORETYPE", "SkylakeX");
    return env;
  }

  /** One shape's rate from {@link #sgemm}. */
  record Sgemm(String engine, int threads, int m, int n, int k, double gflops) {}

  /**
   * One timed PyTorch run, as the script's JSON line reports it; {@code peakRssBytes} is -1 where the script does not
   * report it (torch_reference.py's bench).
   */
  record Run(String engine, int threads, double tokensPerS, double medianStepS, long peakRssBytes) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String python;
  private final Path script;
  private final Duration timeout;
  private final PrintWriter err;

  PyTorchYardstick(String python, Path script, Duration timeout, PrintWriter err) {
    this.python = python;
    this.script = script;
    this.timeout = timeout;
    this.err = err;
  }

  /**
   * The bundled yardstick: {@code tools/torch_reference.py} in the shared folder, which is {@code -Deef4j.shared} when
   * set, else the {@code shared} folder beside this checkout (found from where the jar or classes were loaded), else
   * {@code ../shared} from the working directory.
   */
  static Path defaultScript() {
    String property = System.getProperty("eef4j.shared");
    if (property != null) return Path.of(property).resolve("tools/torch_reference.py");
    Path besideCheckout = checkoutRoot();
    if (besideCheckout != null) {
      Path candidate = besideCheckout.resolveSibling("shared").resolve("tools/torch_reference.py");
      if (Files.isRegularFile(candidate)) return candidate;
    }
    return Path.of("../shared/tools/torch_reference.py");
  }

  /** The checkout's root: the jar is {@code ROOT/eef4j-cli/target/eef4j-cli.jar}, the classes {@code ROOT/eef4j-cli/target/classes}. */
  private static Path checkoutRoot() {
    try {
      var source = PyTorchYardstick.class.getProtectionDomain().getCodeSource();
      if (source == null) return null;
      Path p = Path.of(source.getLocation().toURI()).toAbsolutePath();
      for (int i = 0; i < 3 && p != null; i++) p = p.getParent();
      return p;
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Fails with the fix when the yardstick would not run or would run slowly for a reason of this machine's setup: no
   * script, a python without torch, or Debian's reference BLAS (unoptimised; PyTorch then trains about 30x slower, so a
   * ratio against it means nothing).
   */
  void checkReady() {
    if (!Files.isRegularFile(script)) {
      throw new UserInputException("the PyTorch yardstick " + script + " does not exist: pass --against-pytorch=SCRIPT,"
          + " or set -Deef4j.shared=DIR (EEF4J_JAVA_OPTS for ./eef4j) to the folder holding tools/torch_reference.py");
    }
    Output probe;
    try {
      probe = exec(List.of(python, "-c", PROBE), PROBE_TIMEOUT, Map.of(), null);
    } catch (IOException e) {
      throw new UserInputException("cannot run " + python + " (" + e.getMessage() + "): run " + INSTALLER
          + ", or pass --python with a python that has torch", e);
    }
    if (probe.timedOut()) throw new UserInputException(python + " took over " + PROBE_TIMEOUT.toSeconds() + " s to import torch");
    if (probe.exitCode() != 0) {
      throw new UserInputException(python + " cannot import torch (" + lastLine(probe.stderr()) + "): run " + INSTALLER
          + " (installs Debian's python3-torch), or pass --python with a python that has torch");
    }
    JsonNode answer = jsonLine(probe.stdout());
    if (answer == null) {
      throw new UserInputException(python + " imported torch but printed no answer to the BLAS probe: "
          + abbreviate(probe.stdout()));
    }
    for (JsonNode lib : answer.path("blas")) {
      if (isReferenceBlas(lib.asText())) {
        throw new UserInputException("PyTorch under " + python + " loads the unoptimised reference BLAS (" + lib.asText()
            + "), which makes it ~30x slower than it should be: run " + INSTALLER
            + " (installs libopenblas0-pthread, which libblas.so.3 then points at)");
      }
    }
  }

  /**
   * Debian's reference BLAS (netlib, package libblas3) lives in {@code /usr/lib/<triplet>/blas/}; the optimised ones in
   * their own folders (openblas-pthread, atlas, blis-openmp...).
   */
  static boolean isReferenceBlas(String library) {
    Path p = Path.of(library);
    Path dir = p.getParent();
    return dir != null && dir.getFileName() != null && dir.getFileName().toString().equals("blas")
        && p.getFileName().toString().startsWith("libblas.so");
  }

  /**
   * Times training steps of the model in {@code config}: {@code SCRIPT bench CONFIG --batch B --seq S --steps N
   * --threads T}, the arguments of torch_reference.py.
   *
   * @throws YardstickException when the script fails, hangs past the timeout or prints no usable JSON line
   */
  Run bench(Path config, int batch, int seq, int steps, int threads) {
    List<String> command = List.of(python, script.toString(), "bench", config.toString(), "--batch",
        String.valueOf(batch), "--seq", String.valueOf(seq), "--steps", String.valueOf(steps), "--threads",
        String.valueOf(threads));
    Output out;
    try {
      out = exec(command, timeout, Map.of(), line -> {
        err.println("  [pytorch] " + line);
        err.flush();
      });
    } catch (IOException e) {
      throw new YardstickException("cannot run " + String.join(" ", command) + ": " + e.getMessage());
    }
    if (out.timedOut()) {
      throw new YardstickException(script + " did not finish within " + timeout.toSeconds() + " s (killed):"
          + " raise --pytorch-timeout or lower --steps");
    }
    if (out.exitCode() != 0) {
      throw new YardstickException(script + " failed with exit code " + out.exitCode() + " (its stderr is above)");
    }
    return parse(out.stdout(), script.toString());
  }

  /**
   * Times LoRA training steps of the model in {@code config} (rank, α, all seven projections of every layer) in plain
   * PyTorch, on the model class of the yardstick script, in a child process with the tuned environment.
   *
   * @throws YardstickException when the child fails, hangs past the timeout or prints no usable JSON line
   */
  Run benchLora(Path config, int batch, int seq, int steps, int threads, int rank, double alpha) {
    List<String> command = List.of(python, "-c", LORA, script.toAbsolutePath().toString(), config.toString(),
        String.valueOf(batch), String.valueOf(seq), String.valueOf(steps), String.valueOf(threads),
        String.valueOf(rank), String.valueOf(alpha));
    Output out;
    try {
      out = exec(command, timeout, tunedEnvironment(threads), line -> {
        err.println("  [pytorch] " + line);
        err.flush();
      });
    } catch (IOException e) {
      throw new YardstickException("cannot run " + python + " for the LoRA yardstick: " + e.getMessage());
    }
    if (out.timedOut()) {
      throw new YardstickException("the LoRA yardstick did not finish within " + timeout.toSeconds() + " s (killed):"
          + " raise --pytorch-timeout or lower --steps");
    }
    if (out.exitCode() != 0) {
      throw new YardstickException("the LoRA yardstick failed with exit code " + out.exitCode() + " (its stderr is above)");
    }
    return parse(out.stdout(), "the LoRA yardstick");
  }

  /**
   * Times PyTorch's sgemm (OpenBLAS under Debian's torch) on each {@code [m, n, k]} shape with {@code threads} threads,
   * in the environment torch_reference.py's bench gives itself (passive OpenMP waiting, and OpenBLAS's AVX-512 kernels
   * where the CPU has them unless OPENBLAS_CORETYPE says otherwise), so that it is the same OpenBLAS the training
   * yardstick runs.
   *
   * @throws YardstickException when the child fails, hangs past the timeout or prints no usable JSON line
   */
  List<Sgemm> sgemm(List<int[]> shapes, int threads, int reps) {
    StringBuilder json = new StringBuilder(shapes.stream().map(s -> "[" + s[0] + "," + s[1] + "," + s[2] + "]")
        .collect(Collectors.joining(",", "[", "]")));
    List<String> command = List.of(python, "-c", SGEMM, String.valueOf(threads), String.valueOf(reps), json.toString());
    // OpenBLAS's own threads ignore torch.set_num_threads: without OPENBLAS_NUM_THREADS it would use every core
    Map<String, String> env = new HashMap<>(Map.of("OMP_WAIT_POLICY", "passive", "OPENBLAS_NUM_THREADS",
        String.valueOf(threads)));
    // a core type given by the user wins (e.g. Haswell, to time AVX2 kernels on an AVX-512 machine)
    if (System.getenv("OPENBLAS_CORETYPE") == null && cpuHas("avx512f")) env.put("OPENBLAS_CORETYPE", "SkylakeX");
    Output out;
    try {
      out = exec(command, timeout, env, line -> {
        err.println("  [pytorch] " + line);
        err.flush();
      });
    } catch (IOException e) {
      throw new YardstickException("cannot run " + python + " for the sgemm yardstick: " + e.getMessage());
    }
    if (out.timedOut()) throw new YardstickException("the sgemm yardstick did not finish within " + timeout.toSeconds() + " s");
    if (out.exitCode() != 0) {
      throw new YardstickException("the sgemm yardstick failed with exit code " + out.exitCode() + " (its stderr is above)");
    }
    JsonNode o = jsonLine(out.stdout());
    if (o == null || !o.path("shapes").isArray() || o.path("shapes").size() != shapes.size()) {
      throw new YardstickException("the sgemm yardstick printed no usable JSON line: " + abbreviate(out.stdout()));
    }
    List<Sgemm> runs = new ArrayList<>();
    for (JsonNode s : o.path("shapes")) {
      double g = s.path("gflops").asDouble(Double.NaN);
      if (!(g > 0) || !Double.isFinite(g)) throw new YardstickException("the sgemm yardstick reported " + s);
      runs.add(new Sgemm(o.path("engine").asText("pytorch"), o.path("threads").asInt(0), s.path("m").asInt(),
          s.path("n").asInt(), s.path("k").asInt(), g));
    }
    return runs;
  }

  /** Whether /proc/cpuinfo lists the flag (false where there is no such file). */
  private static boolean cpuHas(String flag) {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .anyMatch(l -> l.startsWith("flags") && List.of(l.split("\\s+")).contains(flag));
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Reads the run from the last line of {@code stdout} that is a JSON object; {@code train_tokens_per_s} must be a
   * positive number.
   */
  static Run parse(String stdout, String source) {
    JsonNode o = jsonLine(stdout);
    if (o == null) {
      throw new YardstickException(source + " printed no JSON line; its output was: " + abbreviate(stdout));
    }
    JsonNode rate = o.get("train_tokens_per_s");
    if (rate == null || !rate.isNumber() || !(rate.asDouble() > 0) || !Double.isFinite(rate.asDouble())) {
      throw new YardstickException(source + "'s JSON line has no positive number train_tokens_per_s: " + o);
    }
    return new Run(o.path("engine").asText("pytorch"), o.path("threads").asInt(0), rate.asDouble(),
        o.path("median_step_s").asDouble(Double.NaN), o.path("peak_rss_bytes").asLong(-1));
  }

  private static JsonNode jsonLine(String stdout) {
    List<String> lines = stdout.lines().map(String::strip).filter(l -> l.startsWith("{")).toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      try {
        JsonNode n = JSON.readTree(lines.get(i));
        if (n.isObject()) return n;
      } catch (JsonProcessingException e) {
        // not JSON after all: try the line before
      }
    }
    return null;
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    return lines.isEmpty() ? "no message" : lines.getLast();
  }

  private static String abbreviate(String text) {
    String t = text.strip();
    if (t.isEmpty()) return "(nothing)";
    return t.length() <= 300 ? t : t.substring(0, 300) + "...";
  }

  /** What a child process left: its exit code (-1 when killed on timeout), its stdout and its stderr. */
  private record Output(int exitCode, boolean timedOut, String stdout, String stderr) {}

  /**
   * Runs {@code command} with our environment plus {@code env}; its stderr goes to {@code stderrLines} as it comes when that is given,
   * else is kept. After {@code limit} the process and everything it started are killed.
   */
  private static Output exec(List<String> command, Duration limit, Map<String, String> env,
      Consumer<String> stderrLines) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(env);
    Process p = builder.start();
    p.getOutputStream().close();
    // Buffers, not builders: if a pump outlives its join below, reading them still does not race.
    StringBuffer stdout = new StringBuffer();
    StringBuffer stderr = new StringBuffer();
    // Both pipes drained at once: a child blocked on a full stderr pipe would never finish its stdout.
    Thread outPump = Thread.ofVirtual().start(() -> pump(p.getInputStream(), line -> stdout.append(line).append('\n')));
    Thread errPump = Thread.ofVirtual().start(() -> pump(p.getErrorStream(), line -> {
      stderr.append(line).append('\n');
      if (stderrLines != null) stderrLines.accept(line);
    }));
    boolean finished;
    try {
      finished = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      // A grandchild that outlived the kill could hold the pipes open: do not wait for it forever.
      outPump.join(Duration.ofSeconds(10));
      errPump.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new YardstickException("interrupted while waiting for " + command.getFirst());
    }
    return new Output(finished ? p.exitValue() : -1, !finished, stdout.toString(), stderr.toString());
  }

  private static void pump(InputStream in, Consumer<String> lines) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) lines.accept(line);
    } catch (IOException e) {
      // The pipe closed under us because the process was killed: what was read so far is all there is.
    }
  }

  /** The yardstick ran and failed (exit code, timeout, output): the command reports it and exits with FAILED. */
  static final class YardstickException extends RuntimeException {
    YardstickException(String message) {
      super(message);
    }
  }
}
