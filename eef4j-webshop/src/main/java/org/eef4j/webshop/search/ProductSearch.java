package org.eef4j.webshop.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.similarities.Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * WebShop's product search: what pyserini's {@code LuceneSearcher.search(query, k)} returned for the original index,
 * reproduced with our own index of the same texts (spec WEBSHOP.md d).
 *
 * <ul>
 *   <li><b>Analysis.</b> Anserini's {@code DefaultEnglishAnalyzer} with its defaults is StandardTokenizer →
 *       EnglishPossessiveFilter → LowerCaseFilter → StopFilter(Lucene's English stop set) → PorterStemFilter, which is
 *       exactly the chain of Lucene's {@link EnglishAnalyzer} without a stem-exclusion set, so we use that.
 *   <li><b>Scoring.</b> BM25 with Anserini's defaults k1 = 0.9, b = 0.4.
 *   <li><b>Query.</b> Anserini's bag of words: one SHOULD {@link TermQuery} per distinct analyzed term, boosted by how
 *       often the term occurs in the query.
 *   <li><b>Ties.</b> Products with equal scores come in the order the original indexed them: its Lucene doc id, which
 *       is the order of the collection file (documents.jsonl, written from load_products' list, indexed by one thread).
 *       Anserini asks for "score, then the id field", yet the original's results order ties by doc id, not by ASIN
 *       (on WebShop-1k "2 mesh laundry bags" gives B093K5JK25, B093YT83QR, B093KBGC44: three equal scores in file
 *       order, not ASIN order; SearchParityTest). Our index is sorted by each document's position in the
 *       {@link SearchDocument} sequence and kept in one segment, so Lucene's own tie-break (ascending doc id) is that
 *       order; callers pass the documents in catalogue order. The top-k collector's dynamic pruning never reorders
 *       ties.
 * </ul>
 *
 * <p>The index is built in memory for the 1k catalogue, or in a directory for the full catalogue (built once, reopened
 * later). One instance is safe to share between threads: the reader, searcher and analyzer are.
 *
 * <p><b>On-disk layout.</b> A Lucene 9 index with fields {@code contents} (the search text, frequencies and norms, not
 * stored), {@code id} (the ASIN, indexed and as sorted doc values) and {@code position} (the document's place in the
 * sequence it was built from, numeric doc values), index sort {@code position} ascending, one segment or several
 * holding consecutive runs of the sequence in order ({@link Slicing}), and commit user data
 * {@code eef4j.format=webshop-product-search}, {@code eef4j.version=2}, {@code eef4j.docs=N},
 * {@code eef4j.segments=S} (the segments asked for; absent reads as 1) and {@code eef4j.source} (the caller's digest
 * of the source files; absent reads as ""). Version 1 sorted by ASIN and is rebuilt. Whatever the layout, a reader's
 * doc id is the document's position (checked at opening), so ties order the same.
 *
 * <p><b>Intra-query concurrency.</b> With several segments and {@link Slicing#threads()} above 1, one search scores
 * the segments at once, each as its own slice, on a pool of that many threads. Scores do not change (BM25's statistics
 * are the whole index's), and neither does the order of ties: the slices' hits are merged by score, then doc id, and a
 * slice prunes with a score another slice reached only where that slice's documents come first. It cuts a search's
 * wall time only where cores are idle; rollouts already search in parallel, so the default is one thread.
 */
public final class ProductSearch implements AutoCloseable {

  /** The field the product text is indexed in (Anserini's name, so a query generator works on both indexes). */
  public static final String CONTENTS = "contents";
  /** The field holding the ASIN. */
  public static final String ID = "id";
  /** The field holding each document's position in the sequence the index was built from: the tie order. */
  static final String POSITION = "position";
  /** How many hits the original asks for (engine.py SEARCH_RETURN_N). */
  public static final int DEFAULT_HITS = 50;
  /** Distinct queries whose results are kept by default: a few MB (see {@link #cacheEntries}). */
  public static final int DEFAULT_CACHE_ENTRIES = 4096;

  static final String FORMAT_KEY = "eef4j.format";
  static final String FORMAT = "webshop-product-search";
  static final String VERSION_KEY = "eef4j.version";
  static final int VERSION = 2;
  static final String DOCS_KEY = "eef4j.docs";
  /** Which source files the documents came from (a digest the caller gives; "" for none). */
  static final String SOURCE_KEY = "eef4j.source";

  static final String SEGMENTS_KEY = "eef4j.segments";
  /** The name every thread that scores a search's segments starts with (benchmarks add up their CPU time). */
  public static final String SEARCH_THREAD_PREFIX = "eef4j-search-";

  private static final Sort BY_POSITION = new Sort(new SortField(POSITION, SortField.Type.LONG));

  /**
   * How the index is cut and searched.
   *
   * @param segments how many segments an index is built in, each a consecutive run of the documents (the last may
   *     be shorter): the units one search can score in parallel. An index of another count is rebuilt.
   * @param threads how many threads one search scores segments with (1: the calling thread alone)
   */
  public record Slicing(int segments, int threads) {
    /** One segment, searched by the calling thread: what a machine whose cores run rollouts wants. */
    public static final Slicing NONE = new Slicing(1, 1);

    public Slicing {
      if (segments < 1) {
        throw new IllegalArgumentException("segments must be >= 1, got " + segments);
      }
      if (threads < 1) {
        throw new IllegalArgumentException("search threads must be >= 1, got " + threads);
      }
    }
  }

  private final Directory directory;
  private final DirectoryReader reader;
  private volatile Searcher searcher;
  private final Analyzer analyzer;
  /** The ASIN of each doc id, read once: resolving 50 hits through doc values at every search costs more. */
  private final String[] asinByDoc;
  private final boolean built;
  private volatile ResultCache cache = new ResultCache(DEFAULT_CACHE_ENTRIES);

  private ProductSearch(Directory directory, boolean built, int threads) throws IOException {
    this.directory = directory;
    this.built = built;
    this.reader = DirectoryReader.open(directory);
    this.analyzer = analyzer();
    try {
      checkDocIdsArePositions(reader);
      this.asinByDoc = readAsins(reader);
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
    this.searcher = Searcher.of(reader, threads);
  }

  /**
   * A Lucene searcher over the reader and the threads it scores segments with (pool null: the calling thread alone).
   */
  private record Searcher(IndexSearcher lucene, ExecutorService pool, int threads) {
    static Searcher of(DirectoryReader reader, int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("search threads must be >= 1, got " + threads);
      }
      Searcher s;
      if (threads > 1 && reader.leaves().size() > 1) {
        // Daemon threads: a search pool must not keep a finished program alive.
        var factory = Thread.ofPlatform().daemon().name(SEARCH_THREAD_PREFIX, 0).factory();
        ExecutorService pool = Executors.newFixedThreadPool(threads, factory);
        s = new Searcher(new SegmentSlicedSearcher(reader, pool), pool, threads);
      } else {
        s = new Searcher(new IndexSearcher(reader), null, 1);
      }
      s.lucene.setSimilarity(similarity());
      return s;
    }

    void close() {
      if (pool != null) {
        pool.shutdown();
      }
    }
  }

  /**
   * A searcher whose slices are the segments, one each: Lucene's default groups segments of up to 250,000 documents
   * into one slice, which would leave a catalogue of a few hundred thousand products, or a small test index, in one.
   */
  private static final class SegmentSlicedSearcher extends IndexSearcher {
    SegmentSlicedSearcher(DirectoryReader reader, ExecutorService pool) {
      super(reader, pool);
    }

    @Override
    protected LeafSlice[] slices(List<LeafReaderContext> leaves) {
      return slices(leaves, 1, 1);
    }
  }

  /**
   * Lucene orders equal scores by doc id; they must come in the order of the documents the index was built from. A
   * segment keeps that order inside itself (index sort), and the reader must take the segments in that order too.
   */
  private static void checkDocIdsArePositions(DirectoryReader reader) throws IOException {
    for (LeafReaderContext leaf : reader.leaves()) {
      NumericDocValues positions = leaf.reader().getNumericDocValues(POSITION);
      for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
        if (positions == null || !positions.advanceExact(doc) || positions.longValue() != leaf.docBase + doc) {
          throw new IllegalArgumentException("the search index's doc " + (leaf.docBase + doc) + " is not document "
              + (leaf.docBase + doc) + " of its sequence: its tie order would not be the catalogue's; delete it to "
              + "rebuild");
        }
      }
    }
  }

  private static String[] readAsins(DirectoryReader reader) throws IOException {
    String[] asins = new String[reader.maxDoc()];
    for (LeafReaderContext leaf : reader.leaves()) {
      SortedDocValues ids = leaf.reader().getSortedDocValues(ID);
      for (int doc = ids.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = ids.nextDoc()) {
        asins[leaf.docBase + doc] = ids.lookupOrd(ids.ordValue()).utf8ToString();
      }
    }
    return asins;
  }

  /** The analyzer both documents and queries go through. */
  public static Analyzer analyzer() {
    return new EnglishAnalyzer();
  }

  /** BM25 with Anserini's defaults. */
  public static Similarity similarity() {
    return new BM25Similarity(0.9f, 0.4f);
  }

  /**
   * Builds an index in memory: the right choice for catalogues up to a few hundred thousand products. Give the
   * documents in catalogue order: equal scores come back in that order.
   */
  public static ProductSearch inMemory(Iterable<SearchDocument> documents) {
    return inMemory(documents, Slicing.NONE);
  }

  /** As {@link #inMemory(Iterable)}, cut and searched as {@code slicing} says. */
  public static ProductSearch inMemory(Iterable<SearchDocument> documents, Slicing slicing) {
    try {
      Directory dir = new ByteBuffersDirectory();
      int count = 0;
      if (slicing.segments() > 1) {
        for (SearchDocument ignored : documents) {
          count++;
        }
      }
      write(dir, documents, "", count, slicing.segments());
      return new ProductSearch(dir, true, slicing.threads());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the in-memory search index", e);
    }
  }

  /**
   * Opens the index in {@code dir} if it holds one for {@code expectedDocs} documents, otherwise (re)builds it there
   * from {@code documents} (in catalogue order, which is the tie order). Building the full 1.18M catalogue takes
   * minutes; reopening takes about a second.
   */
  public static ProductSearch onDisk(Path dir, int expectedDocs, Iterable<SearchDocument> documents) {
    return onDisk(dir, expectedDocs, "", documents);
  }

  /**
   * As {@link #onDisk(Path, int, Iterable)}, and the index must also have been built from the source files that
   * {@code sourceKey} identifies (recorded in the index): a catalogue whose files changed gets a new index even where
   * its product count stayed the same.
   */
  public static ProductSearch onDisk(Path dir, int expectedDocs, String sourceKey,
      Iterable<SearchDocument> documents) {
    return onDisk(dir, expectedDocs, sourceKey, documents, Slicing.NONE);
  }

  /** As {@link #onDisk(Path, int, String, Iterable)}, cut and searched as {@code slicing} says. */
  public static ProductSearch onDisk(Path dir, int expectedDocs, String sourceKey,
      Iterable<SearchDocument> documents, Slicing slicing) {
    try {
      Files.createDirectories(dir);
      FSDirectory fs = FSDirectory.open(dir);
      boolean build = !DirectoryReader.indexExists(fs) || !describes(fs, expectedDocs, sourceKey, slicing.segments());
      if (build) {
        write(fs, documents, sourceKey, expectedDocs, slicing.segments());
      }
      return new ProductSearch(fs, build, slicing.threads());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open or build the search index in " + dir, e);
    }
  }

  /** Opens an index this class wrote earlier; fails with the reason when {@code dir} holds something else. */
  public static ProductSearch open(Path dir) {
    try {
      FSDirectory fs = FSDirectory.open(dir);
      if (!DirectoryReader.indexExists(fs)) {
        throw new IllegalArgumentException("no search index in " + dir);
      }
      Map<String, String> data = DirectoryReader.listCommits(fs).getLast().getUserData();
      if (!FORMAT.equals(data.get(FORMAT_KEY))) {
        throw new IllegalArgumentException(dir + " is not a " + FORMAT + " index (commit data " + data + ")");
      }
      int version = Integer.parseInt(data.getOrDefault(VERSION_KEY, "0"));
      if (version < VERSION) {
        throw new IllegalArgumentException("search index in " + dir + " is too old (version " + version
            + ", need " + VERSION + "): delete it to rebuild");
      }
      if (version > VERSION) {
        throw new IllegalArgumentException("search index in " + dir + " is too new (version " + version
            + ", this build reads " + VERSION + ")");
      }
      return new ProductSearch(fs, false, 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index in " + dir, e);
    }
  }

  private static boolean describes(Directory dir, int expectedDocs, String sourceKey, int segments)
      throws IOException {
    Map<String, String> data = DirectoryReader.listCommits(dir).getLast().getUserData();
    return FORMAT.equals(data.get(FORMAT_KEY))
        && String.valueOf(VERSION).equals(data.get(VERSION_KEY))
        && String.valueOf(expectedDocs).equals(data.get(DOCS_KEY))
        && sourceKey.equals(data.getOrDefault(SOURCE_KEY, ""))
        && String.valueOf(segments).equals(data.getOrDefault(SEGMENTS_KEY, "1"));
  }

  /**
   * Writes the documents; in {@code segments} segments of consecutive documents where {@code expectedDocs} is known
   * and that many segments asked for, otherwise in one.
   */
  private static void write(Directory dir, Iterable<SearchDocument> documents, String sourceKey, int expectedDocs,
      int segments) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(analyzer())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setSimilarity(similarity())
        .setIndexSort(BY_POSITION);
    int perSegment = segments > 1 && expectedDocs > 0 ? Math.max(2, Math.ceilDiv(expectedDocs, segments)) : 0;
    if (perSegment > 0) {
      // One indexing thread flushes a segment every perSegment documents, in order, and no merge ever joins or
      // reorders them: segment i holds documents [i * perSegment, (i + 1) * perSegment).
      config.setMaxBufferedDocs(perSegment)
          .setRAMBufferSizeMB(IndexWriterConfig.DISABLE_AUTO_FLUSH)
          .setMergePolicy(NoMergePolicy.INSTANCE);
    } else {
      config.setRAMBufferSizeMB(256);
    }
    FieldType contentsType = new FieldType();
    contentsType.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    contentsType.setTokenized(true);
    contentsType.freeze();
    Set<String> seen = new HashSet<>();
    int docs = 0;
    try (IndexWriter writer = new IndexWriter(dir, config)) {
      Document doc = new Document();
      Field id = new StringField(ID, "", Field.Store.NO);
      Field idValue = new SortedDocValuesField(ID, new BytesRef());
      Field contents = new Field(CONTENTS, "", contentsType);
      NumericDocValuesField position = new NumericDocValuesField(POSITION, 0);
      doc.add(id);
      doc.add(idValue);
      doc.add(contents);
      doc.add(position);
      for (SearchDocument d : documents) {
        if (!seen.add(d.asin())) {
          throw new IllegalArgumentException("duplicate asin in the search documents: " + d.asin());
        }
        id.setStringValue(d.asin());
        idValue.setBytesValue(new BytesRef(d.asin()));
        contents.setStringValue(d.text());
        position.setLongValue(docs);
        writer.addDocument(doc);
        docs++;
      }
      if (perSegment == 0) {
        // One segment: with the index sorted by position, doc id order is then the documents' order across the whole
        // index, which is what makes Lucene's tie-break equal the original's.
        writer.forceMerge(1);
      }
      if (perSegment > 0 && docs != expectedDocs) {
        throw new IllegalArgumentException("expected " + expectedDocs + " search documents, got " + docs);
      }
      writer.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT, VERSION_KEY, String.valueOf(VERSION),
          DOCS_KEY, String.valueOf(docs), SOURCE_KEY, sourceKey,
          SEGMENTS_KEY, String.valueOf(segments)).entrySet());
      writer.commit();
    }
  }

  /** Whether this instance built its index (in memory, or on disk for lack of a fitting one) rather than reopened it. */
  public boolean built() {
    return built;
  }

  /** The number of indexed products. */
  public int size() {
    return reader.numDocs();
  }

  /** The analyzed terms of {@code text}, in order, as the index sees them. */
  public static List<String> analyze(Analyzer analyzer, String text) {
    List<String> terms = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream(CONTENTS, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen on a String
    }
    return terms;
  }

  /**
   * Anserini's bag-of-words query: one SHOULD term query per distinct term, boosted by its count. Terms past Lucene's
   * clause limit ({@link IndexSearcher#getMaxClauseCount()}) are dropped: where Anserini would throw on such a query
   * (and the original server crash), an environment must answer an agent's overlong search.
   */
  public static Query bagOfWords(Analyzer analyzer, String field, String text) {
    return bagOfWords(field, bag(analyzer, text));
  }

  /** Each distinct analyzed term of {@code text} with its count, in order of first occurrence, cut at the limit. */
  private static Map<String, Integer> bag(Analyzer analyzer, String text) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    int limit = IndexSearcher.getMaxClauseCount();
    for (String term : analyze(analyzer, text)) {
      if (counts.size() < limit || counts.containsKey(term)) {
        counts.merge(term, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static Query bagOfWords(String field, Map<String, Integer> counts) {
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    counts.forEach((term, count) ->
        builder.add(new BoostQuery(new TermQuery(new Term(field, term)), count), BooleanClause.Occur.SHOULD));
    return builder.build();
  }

  /** The query {@link #search} runs for {@code text}. */
  public Query query(String text) {
    return bagOfWords(analyzer, CONTENTS, text);
  }

  /**
   * The ASINs of the best {@code k} products for {@code text}, best first. A query whose analyzed terms (and counts,
   * in order) were searched recently is answered from the result cache: the index never changes, so the answer is the
   * same list.
   */
  public List<String> search(String text, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive: " + k);
    }
    Map<String, Integer> bag = bag(analyzer, text);
    ResultCache results = cache;
    String key = results.enabled() ? ResultCache.key(k, bag) : null;
    if (key != null) {
      List<String> hit = results.get(key);
      if (hit != null) {
        return hit;
      }
    }
    try {
      TopDocs top = searcher.lucene().search(bagOfWords(CONTENTS, bag), k);
      List<String> asins = asins(top.scoreDocs);
      if (key != null) {
        results.put(key, asins);
      }
      return asins;
    } catch (IOException e) {
      throw new UncheckedIOException("search failed for: " + text, e);
    }
  }

  /**
   * Keeps the results of the last {@code entries} distinct queries (0: none), replacing the cache and what it held.
   * Agents repeat searches (EEF restarts a trajectory by replaying it, its search included; rollouts of one goal
   * search the same instruction), and a long query costs milliseconds over the full catalogue where a cached one costs
   * its analysis. Benchmarks switch it off to measure the search itself.
   */
  public void cacheEntries(int entries) {
    if (entries < 0) {
      throw new IllegalArgumentException("cache entries must be >= 0: " + entries);
    }
    cache = new ResultCache(entries);
  }

  /** How many searches the current result cache answered, and how many it did not. */
  public ResultCache.Stats cacheStats() {
    return cache.stats();
  }

  /** How many products match at least one term of {@code text} (pyserini's hit count before the cut to k). */
  public int countMatches(String text) {
    try {
      return searcher.lucene().count(query(text));
    } catch (IOException e) {
      throw new UncheckedIOException("count failed for: " + text, e);
    }
  }

  private List<String> asins(ScoreDoc[] hits) {
    String[] result = new String[hits.length];
    for (int i = 0; i < hits.length; i++) {
      result[i] = asinByDoc[hits[i].doc];
    }
    return List.of(result);
  }

  /** How many segments the index has: at most that many threads can score one search. */
  public int segments() {
    return reader.leaves().size();
  }

  /** How many threads score one search's segments (1: the calling thread alone). */
  public int searchThreads() {
    return searcher.threads();
  }

  /**
   * Scores one search's segments with up to {@code threads} threads from now on (1: the calling thread alone; an
   * index of one segment is always searched by the calling thread). Results do not change. Call it while no search
   * runs: the threads of the previous setting stop taking new work.
   */
  public void searchThreads(int threads) {
    Searcher old = searcher;
    searcher = Searcher.of(reader, threads);
    old.close();
  }

  /** A hit with its BM25 score. */
  public record Hit(String asin, float score) {}

  /** The best {@code k} products for {@code text} with their scores, best first; never from the result cache. */
  public List<Hit> scoredSearch(String text, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive: " + k);
    }
    try {
      ScoreDoc[] hits = searcher.lucene().search(query(text), k).scoreDocs;
      Hit[] result = new Hit[hits.length];
      for (int i = 0; i < hits.length; i++) {
        result[i] = new Hit(asinByDoc[hits[i].doc], hits[i].score);
      }
      return List.of(result);
    } catch (IOException e) {
      throw new UncheckedIOException("search failed for: " + text, e);
    }
  }

  @Override
  public void close() {
    searcher.close();
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
