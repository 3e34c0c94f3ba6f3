package org.eef4j.cli.webshop;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.eef4j.cli.common.ExitCodes;
import org.eef4j.cli.common.UserInputException;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.env.Page;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.env.WebShopEnv;
import org.eef4j.webshop.expert.ScriptedExpert;
import org.eef4j.webshop.search.ProductSearch;
import org.eef4j.webshop.search.SearchDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eef4j bench webshop}: environment throughput, the figures that bound how fast exploration can run.
 *
 * <ul>
 *   <li><b>search</b>: {@code search[<goal instruction>]} steps, cycling over the goals' instructions (a long query: an
 *       upper bound on an agent's); also the median latency of one search step, single-threaded;
 *   <li><b>click</b>: a cycle of clicks that open a product, its sub-pages and go back to the results
 *       ({@code click[asin]}, {@code description}, {@code < prev}, {@code features}, {@code < prev}, {@code < prev},
 *       {@code next >}, {@code < prev});
 *   <li><b>short search</b>: {@code search[<crawl query of the goal's product>]}, two-to-four-word product phrases like
 *       an agent's;
 *   <li><b>expert search</b>: the scripted expert's first search for each goal (the instruction's product, attributes,
 *       option values and price limit, fillers dropped: the shape of GPT-4's searches in ETO's trajectories), and
 *       <b>expert fallback search</b>, the product phrase it searches next when the first finds nothing useful;
 *   <li><b>agent searches</b> (with {@code --agent-searches FILE}): the {@code search[...]} actions of a file of agent
 *       output, e.g. trajectories;
 *   <li><b>replay</b>: reset plus a 10-action trajectory (one search, nine clicks), as EEF restarts from a state;
 *       once with the search's result cache off, once on (the replayed search is then a repeated query).
 * </ul>
 *
 * The other search figures are measured with the result cache off: they are the cost of searching.
 *
 * It also prints where loading spent its time (catalogue, goals, index built or reopened), the heap and resident
 * memory after loading and at the end, and with {@code --index-dir} how long reopening the on-disk index takes.
 *
 * Each is measured on one thread, then on every core with one session per thread, after a warm-up.
 */
@Command(name = "webshop", mixinStandardHelpOptions = true,
    description = "WebShop environment throughput: search steps/s, click steps/s, reset+replay of 10 actions/s.")
public final class WebShopBenchCommand implements Callable<Integer> {

  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  @Mixin ShopOptions shop;

  @Option(names = "--seconds", defaultValue = "3", description = "Measuring time per figure (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup-ops", defaultValue = "1000",
      description = "Operations each thread runs before measuring, besides a warm-up of up to a second, so that the "
          + "code is compiled even on a busy machine (default: ${DEFAULT-VALUE}).")
  int warmupOps;

  @Option(names = "--threads", defaultValue = "0",
      description = "Threads for the all-cores figures; 0 = one per core (default).")
  int threads;

  @Option(names = "--agent-searches", paramLabel = "FILE",
      description = "Also time the search[...] actions found in FILE (agent trajectories or prompts: JSON, JSON lines "
          + "or text), cycling over them.")
  Path agentSearches;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!(seconds > 0)) {
      throw new UserInputException("--seconds must be positive, got " + seconds);
    }
    int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    PrintWriter out = spec.commandLine().getOut();
    long loadStart = System.nanoTime();
    try (WebShop webShop = shop.load()) {
      WebShop.LoadTimes times = webShop.loadTimes();
      out.printf(Locale.ROOT, "loaded %d products and %d goals in %.2f s (catalogue %.2f s from %s, goals %.2f s, "
              + "index %s %.2f s)%n", webShop.catalog().size(), webShop.goals().size(),
          (System.nanoTime() - loadStart) / 1e9, times.catalogueSeconds(), times.catalogueFrom(), times.goalsSeconds(),
          times.indexBuilt() ? "built" : "reopened", times.indexSeconds());
      out.println("memory after loading: " + Memory.now());
      if (shop.indexDir().isPresent()) {
        long start = System.nanoTime();
        ProductSearch.open(shop.indexDir().get()).close();
        out.printf(Locale.ROOT, "on-disk search index reopened in %.2f s%n", (System.nanoTime() - start) / 1e9);
      } else {
        Iterable<SearchDocument> docs = WebShop.searchDocuments(webShop.catalog());
        double buildMillis = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // the first build also loads and compiles Lucene's code: report the best
          long start = System.nanoTime();
          ProductSearch.inMemory(docs).close();
          buildMillis = Math.min(buildMillis, (System.nanoTime() - start) / 1e6);
        }
        out.printf(Locale.ROOT, "in-memory search index of %d products built in %.0f ms%n", webShop.catalog().size(),
            buildMillis);
      }
      List<String> queries = webShop.goals().stream().map(g -> g.instructionText().toLowerCase(Locale.ROOT)).toList();
      List<String> shortQueries = webShop.goals().stream().map(g -> g.query()).filter(q -> !q.isBlank()).toList();
      List<List<String>> expertSearches = webShop.goals().stream()
          .map(g -> ScriptedExpert.searchQueries(g.instructionText())).toList();
      List<String> expertQueries = expertSearches.stream().map(List::getFirst).toList();
      List<String> fallbackQueries = expertSearches.stream().map(List::getLast).toList();
      List<String> fileQueries = agentSearches == null ? List.of() : AgentSearches.read(agentSearches);
      List<String> trajectory = trajectory(webShop);
      Function<WebShop, Op> replay = w -> () -> {
        w.newSession(WebShopEnv.Config.UNLIMITED).replay(0, trajectory, trajectory.size());
      };
      // The search figures measure the search itself: the result cache is off but where a workload's name says so.
      int threadsPerSearch = webShop.search().searchThreads();
      Map<String, List<String>> searchWorkloads = new LinkedHashMap<>();
      searchWorkloads.put("search steps", queries);
      searchWorkloads.put("short search steps", shortQueries);
      searchWorkloads.put("expert search steps", expertQueries);
      searchWorkloads.put("expert fallback searches", fallbackQueries);
      if (!fileQueries.isEmpty()) {
        searchWorkloads.put("agent searches (file)", fileQueries);
      }
      List<Workload> workloads = new ArrayList<>();
      searchWorkloads.forEach((name, list) -> {
        workloads.add(new Workload(name, w -> new SearchLoop(w, list), 0, 1));
        if (threadsPerSearch > 1) {
          workloads.add(new Workload("  " + threadsPerSearch + " threads per search", w -> new SearchLoop(w, list), 0,
              threadsPerSearch));
        }
      });
      workloads.addAll(List.of(
          new Workload("click steps", ClickLoop::new, 0, 1),
          new Workload("reset+replay of 10 actions", replay, 0, 1),
          new Workload("  the same, search cached", replay, ProductSearch.DEFAULT_CACHE_ENTRIES, 1)));
      out.println("search workloads (distinct analyzed terms per query, the clauses a search scores):");
      printShape(out, "search steps", "goal instructions", queries);
      printShape(out, "short search steps", "goal products' crawl queries", shortQueries);
      printShape(out, "expert search steps", "the scripted expert's first searches", expertQueries);
      printShape(out, "expert fallback searches", "the scripted expert's second searches", fallbackQueries);
      if (!fileQueries.isEmpty()) {
        printShape(out, "agent searches (file)", "search[...] actions of " + agentSearches, fileQueries);
      }
      if (threadsPerSearch > 1) {
        out.printf(Locale.ROOT, "index of %d segments; with %d threads per search, the top 50 (products and scores) "
            + "of the first %d queries of each workload against one thread's:%n", webShop.search().segments(),
            threadsPerSearch, PARITY_QUERIES);
        searchWorkloads.forEach((name, list) -> out.printf(Locale.ROOT, "  %-26s %s%n", name,
            sameWithOneThread(webShop.search(), list, threadsPerSearch)));
      }
      // CPU time per operation is what the work costs even when other processes share the cores; the rates and the
      // median are wall-clock figures. With several threads per search the CPU figure adds the search threads'.
      out.printf(Locale.ROOT, "%-28s %12s %12s %10s %10s %12s   (all cores = %d threads)%n", "", "1 thread/s",
          "all cores/s", "p50 ms", "p99 ms", "CPU us/op", cores);
      for (Workload workload : workloads) {
        webShop.search().cacheEntries(workload.cacheEntries());
        webShop.search().searchThreads(workload.threadsPerSearch());
        Result single = run(webShop, workload, 1, true);
        Result all = run(webShop, workload, cores, false);
        out.printf(Locale.ROOT, "%-28s %12.0f %12.0f %10.3f %10.3f %12.1f%n", workload.name(), single.perSecond(),
            all.perSecond(), single.medianMillis(), single.p99Millis(), single.cpuMicrosPerOp());
        out.flush();
      }
      webShop.search().cacheEntries(ProductSearch.DEFAULT_CACHE_ENTRIES);
      webShop.search().searchThreads(threadsPerSearch);
      out.println("memory at the end: " + Memory.now());
    }
    return ExitCodes.OK;
  }

  /** How many queries of each workload the results of several threads per search are compared on. */
  private static final int PARITY_QUERIES = 200;

  /** Whether {@code threads} per search give one thread's top 50, products and scores, query by query. */
  private static String sameWithOneThread(ProductSearch search, List<String> queries, int threads) {
    List<String> checked = queries.subList(0, Math.min(PARITY_QUERIES, queries.size()));
    List<List<ProductSearch.Hit>> one = new ArrayList<>();
    search.searchThreads(1);
    for (String q : checked) {
      one.add(search.scoredSearch(q, ProductSearch.DEFAULT_HITS));
    }
    search.searchThreads(threads);
    int same = 0;
    for (int i = 0; i < checked.size(); i++) {
      if (search.scoredSearch(checked.get(i), ProductSearch.DEFAULT_HITS).equals(one.get(i))) {
        same++;
      }
    }
    String verdict = same == checked.size() ? "" : " (DIFFER)";
    return String.format(Locale.ROOT, "%d of %d equal%s", same, checked.size(), verdict);
  }

  /** CPU time of the threads that score a search's segments, summed (0 without them). */
  private static long searchThreadsCpu() {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(ProductSearch.SEARCH_THREAD_PREFIX)) {
        sum += Math.max(0, CPU.getThreadCpuTime(t.threadId()));
      }
    }
    return sum;
  }

  /** How many queries a workload cycles over and how many distinct terms they have: what a search's cost grows with. */
  private static void printShape(PrintWriter out, String name, String what, List<String> queries) {
    if (queries.isEmpty()) {
      out.printf(Locale.ROOT, "  %-26s %s: none%n", name, what);
      return;
    }
    var analyzer = ProductSearch.analyzer();
    int[] terms = queries.stream()
        .mapToInt(q -> (int) ProductSearch.analyze(analyzer, q).stream().distinct().count()).sorted().toArray();
    out.printf(Locale.ROOT, "  %-26s %s: %d (%d distinct), terms median %d, mean %.1f, max %d%n", name, what,
        queries.size(), queries.stream().distinct().count(), terms[terms.length / 2],
        Arrays.stream(terms).average().orElse(0), terms[terms.length - 1]);
  }

  /** One search followed by nine clicks on goal 0's best hits: the shape of a typical expert trajectory. */
  private static List<String> trajectory(WebShop webShop) {
    WebShopEnv env = webShop.newSession(WebShopEnv.Config.UNLIMITED);
    env.reset(0);
    String search = "search[" + webShop.goal(0).instructionText().toLowerCase(Locale.ROOT) + "]";
    env.step(search);
    List<Product> shown = ((Page.Results) env.page()).shown();
    if (shown.isEmpty()) {
      throw new UserInputException("goal 0's instruction finds no product: cannot build the replay trajectory");
    }
    String asin = shown.getFirst().asin().toLowerCase(Locale.ROOT);
    return List.of(search, "click[" + asin + "]", "click[description]", "click[< prev]", "click[features]",
        "click[< prev]", "click[< prev]", "click[next >]", "click[< prev]", "click[" + asin + "]");
  }

  /** One unit of work, run repeatedly by one thread. */
  private interface Op {
    void run();
  }

  private record Workload(String name, Function<WebShop, Op> perThread, int cacheEntries, int threadsPerSearch) {}

  private record Result(double perSecond, double medianMillis, double p99Millis, double cpuMicrosPerOp) {}

  private Result run(WebShop webShop, Workload workload, int threadCount, boolean latencies) throws Exception {
    long warmupNanos = (long) (Math.min(1.0, seconds) * 1e9);
    long measureNanos = (long) (seconds * 1e9);
    try (ExecutorService pool = Executors.newFixedThreadPool(threadCount)) {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int t = 0; t < threadCount; t++) {
        futures.add(pool.submit(() -> {
          Op op = workload.perThread().apply(webShop);
          // Warm up for a time and a number of operations both, so that a slow (shared) machine still compiles the code.
          long end = System.nanoTime() + warmupNanos;
          for (int i = 0; i < warmupOps || System.nanoTime() < end; i++) {
            op.run();
          }
          long[] samples = new long[latencies ? 1 << 20 : 0];
          long count = 0;
          long cpuStart = CPU.getCurrentThreadCpuTime() + (latencies ? searchThreadsCpu() : 0);
          long start = System.nanoTime();
          end = start + measureNanos;
          long now = start;
          while (now < end) {
            op.run();
            long after = System.nanoTime();
            if (count < samples.length) {
              samples[(int) count] = after - now;
            }
            count++;
            now = after;
          }
          long cpu = CPU.getCurrentThreadCpuTime() + (latencies ? searchThreadsCpu() : 0) - cpuStart;
          long[] result = Arrays.copyOf(samples, (int) Math.min(count, samples.length) + 3);
          result[result.length - 3] = cpu;
          result[result.length - 2] = count;
          result[result.length - 1] = now - start;
          return result;
        }));
      }
      double perSecond = 0;
      double median = Double.NaN;
      double p99 = Double.NaN;
      long cpu = 0;
      long ops = 0;
      for (Future<long[]> f : futures) {
        long[] r = f.get();
        long count = r[r.length - 2];
        cpu += r[r.length - 3];
        ops += count;
        perSecond += count / (r[r.length - 1] / 1e9);
        if (latencies && r.length > 3) {
          long[] samples = Arrays.copyOf(r, r.length - 3);
          Arrays.sort(samples);
          median = samples[samples.length / 2] / 1e6;
          p99 = samples[(int) Math.min(samples.length - 1, Math.ceil(samples.length * 0.99) - 1)] / 1e6;
        }
      }
      return new Result(perSecond, median, p99, cpu / 1e3 / Math.max(1, ops));
    }
  }

  /** Search steps on one session, cycling over the queries. */
  private static final class SearchLoop implements Op {
    private final WebShopEnv env;
    private final List<String> queries;
    private int next;
    private String last;

    SearchLoop(WebShop webShop, List<String> queries) {
      this.env = webShop.newSession(WebShopEnv.Config.UNLIMITED);
      this.queries = queries;
      env.reset(0);
    }

    @Override
    public void run() {
      String query = queries.get(next);
      if (query.equals(last)) {
        env.reset(0); // a session answers a repeated search from the page it shows: start from the search page
      }
      env.step("search[" + query + "]");
      last = query;
      next = (next + 1) % queries.size();
    }
  }

  /** Click steps on one session: a fixed cycle that starts and ends on the same results page. */
  private static final class ClickLoop implements Op {
    private final WebShopEnv env;
    private final List<String> cycle;
    private int next;

    ClickLoop(WebShop webShop) {
      env = webShop.newSession(WebShopEnv.Config.UNLIMITED);
      env.reset(0);
      env.step("search[" + webShop.goal(0).instructionText().toLowerCase(Locale.ROOT) + "]");
      String asin = ((Page.Results) env.page()).shown().getFirst().asin().toLowerCase(Locale.ROOT);
      cycle = List.of("click[" + asin + "]", "click[description]", "click[< prev]", "click[features]",
          "click[< prev]", "click[< prev]", "click[next >]", "click[< prev]");
    }

    @Override
    public void run() {
      env.step(cycle.get(next));
      next = (next + 1) % cycle.size();
    }
  }
}
