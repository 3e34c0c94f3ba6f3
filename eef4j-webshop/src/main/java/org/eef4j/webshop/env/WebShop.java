package org.eef4j.webshop.env;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.eef4j.webshop.catalog.Catalog;
import org.eef4j.webshop.catalog.CatalogSnapshot;
import org.eef4j.webshop.catalog.Goal;
import org.eef4j.webshop.catalog.Product;
import org.eef4j.webshop.goal.Goals;
import org.eef4j.webshop.search.ProductSearch;
import org.eef4j.webshop.search.SearchDocument;

/**
 * One WebShop: a catalogue, its search index and its goal list (the original's {@code SimServer} minus the sessions).
 * Immutable and safe to share between threads; each agent works in its own cheap {@link WebShopEnv} session.
 */
public final class WebShop implements AutoCloseable {

  /** Which goal list sessions draw from. */
  public enum GoalSet {
    /** The synthetic goals from items_ins_v2, in AgentGym's order (6,910 for the 1k catalogue). */
    SYNTHETIC,
    /** The human-instruction goals (ETO's configuration). */
    HUMAN
  }

  /**
   * How to load a WebShop.
   *
   * @param goalSet the goal list; synthetic is what AgentGym serves
   * @param humanGoalSeed the seed of the human goals' price limits, which the original drew unseeded
   * @param indexDir where to keep the search index: empty builds it in memory at every load (fine up to a few hundred
   *     thousand products); a directory builds it there once and reopens it after (the 1.18M catalogue)
   * @param slicing how many segments the index is built in and how many threads one search scores them with
   */
  public record Options(GoalSet goalSet, long humanGoalSeed, Optional<Path> indexDir,
      ProductSearch.Slicing slicing) {
    public static final Options DEFAULT =
        new Options(GoalSet.SYNTHETIC, Goals.SHUFFLE_SEED, Optional.empty(), ProductSearch.Slicing.NONE);

    public Options {
      Objects.requireNonNull(goalSet, "goalSet");
      Objects.requireNonNull(indexDir, "indexDir");
      Objects.requireNonNull(slicing, "slicing");
    }

    public Options withIndexDir(Path dir) {
      return new Options(goalSet, humanGoalSeed, Optional.of(dir), slicing);
    }

    public Options withGoals(GoalSet set) {
      return new Options(set, humanGoalSeed, indexDir, slicing);
    }

    public Options withSlicing(ProductSearch.Slicing s) {
      return new Options(goalSet, humanGoalSeed, indexDir, s);
    }
  }

  /**
   * Where {@link #load} spent its time, for benchmarks at the full catalogue's scale.
   *
   * @param catalogueSeconds reading and processing the product files, or reopening the catalogue snapshot
   * @param goalsSeconds making the goal list
   * @param indexSeconds building the search index, or reopening the on-disk one
   * @param indexBuilt whether the index was built (true) or an on-disk one reopened (false)
   * @param catalogueFrom where the catalogue came from: "files" (no index directory, so no snapshot), "snapshot"
   *     (reopened), or "files, snapshot written (why)"
   */
  public record LoadTimes(double catalogueSeconds, double goalsSeconds, double indexSeconds, boolean indexBuilt,
      String catalogueFrom) {
    static final LoadTimes NONE = new LoadTimes(0, 0, 0, true, "given");
  }

  /** How many products a text search returns (engine.py SEARCH_RETURN_N). */
  public static final int SEARCH_RETURN_N = ProductSearch.DEFAULT_HITS;

  private final Catalog catalog;
  private final ProductSearch search;
  private final List<Goal> goals;
  private final double[] cumulativeWeights;
  private final LoadTimes loadTimes;

  public WebShop(Catalog catalog, ProductSearch search, List<Goal> goals) {
    this(catalog, search, goals, LoadTimes.NONE);
  }

  private WebShop(Catalog catalog, ProductSearch search, List<Goal> goals, LoadTimes loadTimes) {
    this.loadTimes = loadTimes;
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.search = Objects.requireNonNull(search, "search");
    this.goals = List.copyOf(goals);
    if (search.size() != catalog.size()) {
      throw new IllegalArgumentException("the search index holds " + search.size() + " products, the catalogue "
          + catalog.size() + ": rebuild the index");
    }
    cumulativeWeights = new double[this.goals.size()];
    double sum = 0;
    for (int i = 0; i < this.goals.size(); i++) {
      sum += this.goals.get(i).weight();
      cumulativeWeights[i] = sum;
    }
  }

  /** Loads the catalogue in {@code dataDir} with synthetic goals and an in-memory index. */
  public static WebShop load(Path dataDir) {
    return load(dataDir, Options.DEFAULT);
  }

  /**
   * Loads the catalogue in {@code dataDir}. With an index directory the processed catalogue is also kept there, as a
   * snapshot beside the index ({@link CatalogSnapshot}): a later load reopens both instead of parsing the product
   * files again, as long as those files are the ones the snapshot was made from.
   */
  public static WebShop load(Path dataDir, Options options) {
    long start = System.nanoTime();
    Catalog catalog;
    String sourceKey = "";
    String catalogueFrom = "files";
    if (options.indexDir().isPresent()) {
      CatalogSnapshot.Loaded loaded =
          CatalogSnapshot.load(dataDir, options.indexDir().get().resolve(CatalogSnapshot.FILE_NAME));
      catalog = loaded.catalog();
      sourceKey = loaded.sourceKey();
      catalogueFrom = loaded.reopened() ? "snapshot" : "files, snapshot written (" + loaded.why() + ")";
    } else {
      catalog = Catalog.load(dataDir);
    }
    long loaded = System.nanoTime();
    List<Goal> goals = switch (options.goalSet()) {
      case SYNTHETIC -> Goals.synthetic(catalog);
      case HUMAN -> Goals.human(catalog, options.humanGoalSeed());
    };
    long goalsMade = System.nanoTime();
    Iterable<SearchDocument> docs = searchDocuments(catalog);
    String key = sourceKey;
    ProductSearch search = options.indexDir()
        .map(dir -> ProductSearch.onDisk(dir, catalog.size(), key, docs, options.slicing()))
        .orElseGet(() -> ProductSearch.inMemory(docs, options.slicing()));
    long indexed = System.nanoTime();
    LoadTimes times = new LoadTimes((loaded - start) / 1e9, (goalsMade - loaded) / 1e9, (indexed - goalsMade) / 1e9,
        search.built(), catalogueFrom);
    return new WebShop(catalog, search, goals, times);
  }

  /** A WebShop over given products and goals, indexed in memory (tests, generated catalogues). */
  public static WebShop of(Catalog catalog, List<Goal> goals) {
    return new WebShop(catalog, index(catalog), goals);
  }

  private static ProductSearch index(Catalog catalog) {
    return ProductSearch.inMemory(searchDocuments(catalog));
  }

  /**
   * The catalogue's search documents in catalogue order (the tie order), each made as the indexer reaches it: the
   * search texts of all products are never in memory at once.
   */
  public static Iterable<SearchDocument> searchDocuments(Catalog catalog) {
    return () -> catalog.products().stream().map(p -> new SearchDocument(p.asin(), p.searchText())).iterator();
  }

  public Catalog catalog() {
    return catalog;
  }

  /** Where {@link #load} spent its time (zeros for a shop made with {@link #of} or the constructor). */
  public LoadTimes loadTimes() {
    return loadTimes;
  }

  public ProductSearch search() {
    return search;
  }

  public List<Goal> goals() {
    return goals;
  }

  public Goal goal(int index) {
    if (index < 0 || index >= goals.size()) {
      throw new IndexOutOfBoundsException("goal index " + index + " is outside 0.." + (goals.size() - 1));
    }
    return goals.get(index);
  }

  /** A goal index drawn by goal weight, as the original picks one for a session that names none. */
  public int randomGoalIndex(RandomGenerator random) {
    if (goals.isEmpty()) {
      throw new IllegalStateException("this WebShop has no goals");
    }
    double x = random.nextDouble() * cumulativeWeights[cumulativeWeights.length - 1];
    int i = java.util.Arrays.binarySearch(cumulativeWeights, x);
    int index = i >= 0 ? i + 1 : -i - 1;
    return Math.min(index, goals.size() - 1);
  }

  /** A new session with the default step limit (10). */
  public WebShopEnv newSession() {
    return new WebShopEnv(this, WebShopEnv.Config.DEFAULT);
  }

  public WebShopEnv newSession(WebShopEnv.Config config) {
    return new WebShopEnv(this, config);
  }

  /**
   * The products a search shows, best first ({@code get_top_n_product_from_keywords}). The first keyword may be a
   * special one:
   *
   * <ul>
   *   <li>{@code <r>}: 50 products drawn at random without replacement (from {@code random}, so sessions replay);
   *   <li>{@code <a> attribute words}: every product with that attribute, in catalogue order. (The original's text
   *       environment passes no attribute table and crashes here; this is what the code intends.);
   *   <li>{@code <c> category}: every product of that crawl category (only the second keyword counts);
   *   <li>{@code <q> query words}: every product of that crawl query.
   * </ul>
   *
   * Otherwise the keywords, joined by spaces, are a BM25 search for 50 products.
   */
  public List<Product> find(List<String> keywords, RandomGenerator random) {
    String first = keywords.isEmpty() ? "" : keywords.getFirst();
    String rest = PythonText.strip(String.join(" ", keywords.subList(Math.min(1, keywords.size()), keywords.size())));
    return switch (first) {
      case "<r>" -> sample(random);
      case "<a>" -> catalog.products().stream().filter(p -> p.attributes().contains(rest)).toList();
      case "<c>" -> {
        String category = keywords.size() > 1 ? PythonText.strip(keywords.get(1)) : "";
        yield catalog.products().stream().filter(p -> p.category().equals(category)).toList();
      }
      case "<q>" -> catalog.products().stream().filter(p -> p.query().equals(rest)).toList();
      default -> search.search(String.join(" ", keywords), SEARCH_RETURN_N).stream()
          .flatMap(asin -> catalog.find(asin).stream())
          .toList();
    };
  }

  private List<Product> sample(RandomGenerator random) {
    List<Product> pool = new ArrayList<>(catalog.products());
    int k = Math.min(SEARCH_RETURN_N, pool.size());
    for (int i = 0; i < k; i++) { // partial Fisher-Yates: the first k are a uniform sample, in draw order
      int j = i + random.nextInt(pool.size() - i);
      java.util.Collections.swap(pool, i, j);
    }
    return List.copyOf(pool.subList(0, k));
  }

  @Override
  public void close() {
    search.close();
  }
}
