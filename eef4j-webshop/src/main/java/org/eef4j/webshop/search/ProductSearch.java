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
 * sequence it was built from, numeric doc values), index sort {@code position} ascending, one segment, and commit user
 * data {@code eef4j.format=webshop-product-search}, {@code eef4j.version=2}, {@code eef4j.docs=N} and
 * {@code eef4j.source} (the caller's digest of the source files; absent reads as ""). Version 1 sorted by ASIN and is
 * rebuilt.
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

  private static final Sort BY_POSITION = new Sort(new SortField(POSITION, SortField.Type.LONG));

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Analyzer analyzer;
  /** The ASIN of each doc id, read once: resolving 50 hits through doc values at every search costs more. */
  private final String[] asinByDoc;
  private final boolean built;
  private volatile ResultCache cache = new ResultCache(DEFAULT_CACHE_ENTRIES);

  private ProductSearch(Directory directory, boolean built) throws IOException {
    this.directory = directory;
    this.built = built;
    this.reader = DirectoryReader.open(directory);
    this.analyzer = analyzer();
    if (reader.leaves().size() > 1) {
      reader.close();
      throw new IllegalArgumentException("the search index has " + reader.leaves().size()
          + " segments, not one: its tie order would not be the catalogue's; delete it to rebuild");
    }
    this.searcher = new IndexSearcher(reader);
    searcher.setSimilarity(similarity());
    this.asinByDoc = readAsins(reader);
  }

  private static String[] readAsins(DirectoryReader reader) throws IOException {
    String[] asins = new String[reader.maxDoc()];
    if (asins.length == 0) {
      return asins;
    }
    SortedDocValues ids = reader.leaves().getFirst().reader().getSortedDocValues(ID);
    for (int doc = ids.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = ids.nextDoc()) {
      asins[doc] = ids.lookupOrd(ids.ordValue()).utf8ToString();
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
    try {
      Directory dir = new ByteBuffersDirectory();
      write(dir, documents, "");
      return new ProductSearch(dir, true);
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
    try {
      Files.createDirectories(dir);
      FSDirectory fs = FSDirectory.open(dir);
      boolean build = !DirectoryReader.indexExists(fs) || !describes(fs, expectedDocs, sourceKey);
      if (build) {
        write(fs, documents, sourceKey);
      }
      return new ProductSearch(fs, build);
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
      return new ProductSearch(fs, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index in " + dir, e);
    }
  }

  private static boolean describes(Directory dir, int expectedDocs, String sourceKey) throws IOException {
    Map<String, String> data = DirectoryReader.listCommits(dir).getLast().getUserData();
    return FORMAT.equals(data.get(FORMAT_KEY))
        && String.valueOf(VERSION).equals(data.get(VERSION_KEY))
        && String.valueOf(expectedDocs).equals(data.get(DOCS_KEY))
        && sourceKey.equals(data.getOrDefault(SOURCE_KEY, ""));
  }

  private static void write(Directory dir, Iterable<SearchDocument> documents, String sourceKey) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(analyzer())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setSimilarity(similarity())
        .setIndexSort(BY_POSITION)
        .setRAMBufferSizeMB(256);
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
      // One segment: with the index sorted by position, doc id order is then the documents' order across the whole
      // index, which is what makes Lucene's tie-break equal the original's.
      writer.forceMerge(1);
      writer.setLiveCommitData(Map.of(FORMAT_KEY, FORMAT, VERSION_KEY, String.valueOf(VERSION),
          DOCS_KEY, String.valueOf(docs), SOURCE_KEY, sourceKey).entrySet());
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
      TopDocs top = searcher.search(bagOfWords(CONTENTS, bag), k);
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
      return searcher.count(query(text));
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

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
