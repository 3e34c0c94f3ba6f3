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
 *   <li><b>Ties.</b> Anserini sorts by score, then by the {@code id} field in ascending byte order. Our index is sorted
 *       by {@code id} and kept in one segment, so Lucene's own tie-break (ascending doc id) is that same order, and the
 *       top-k collector may skip non-competitive documents (its dynamic pruning never reorders ties).
 * </ul>
 *
 * <p>The index is built in memory for the 1k catalogue, or in a directory for the full catalogue (built once, reopened
 * later). One instance is safe to share between threads: the reader, searcher and analyzer are.
 *
 * <p><b>On-disk layout.</b> A Lucene 9 index with fields {@code contents} (the search text, frequencies and norms, not
 * stored) and {@code id} (the ASIN, indexed and as sorted doc values), index sort {@code id} ascending, one segment,
 * and commit user data {@code eef4j.format=webshop-product-search}, {@code eef4j.version=1}, {@code eef4j.docs=N}.
 */
public final class ProductSearch implements AutoCloseable {

  /** The field the product text is indexed in (Anserini's name, so a query generator works on both indexes). */
  public static final String CONTENTS = "contents";
  /** The field holding the ASIN. */
  public static final String ID = "id";
  /** How many hits the original asks for (engine.py SEARCH_RETURN_N). */
  public static final int DEFAULT_HITS = 50;

  static final String FORMAT_KEY = "eef4j.format";
  static final String FORMAT = "webshop-product-search";
  static final String VERSION_KEY = "eef4j.version";
  static final int VERSION = 1;
  static final String DOCS_KEY = "eef4j.docs";

  private static final Sort BY_ID = new Sort(new SortField(ID, SortField.Type.STRING));

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Analyzer analyzer;
  /** The ASIN of each doc id, read once: resolving 50 hits through doc values at every search costs more. */
  private final String[] asinByDoc;

  private ProductSearch(Directory directory) throws IOException {
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    this.analyzer = analyzer();
    if (reader.leaves().size() > 1) {
      reader.close();
      throw new IllegalArgumentException("the search index has " + reader.leaves().size()
          + " segments, not one: its tie order would not be ASIN order; delete it to rebuild");
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

  /** Builds an index in memory: the right choice for catalogues up to a few hundred thousand products. */
  public static ProductSearch inMemory(Iterable<SearchDocument> documents) {
    try {
      Directory dir = new ByteBuffersDirectory();
      write(dir, documents);
      return new ProductSearch(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the in-memory search index", e);
    }
  }

  /**
   * Opens the index in {@code dir} if it holds one for {@code expectedDocs} documents, otherwise (re)builds it there
   * from {@code documents}. Building the full 1.18M catalogue takes minutes; reopening takes milliseconds.
   */
  public static ProductSearch onDisk(Path dir, int expectedDocs, Iterable<SearchDocument> documents) {
    try {
      Files.createDirectories(dir);
      FSDirectory fs = FSDirectory.open(dir);
      if (!DirectoryReader.indexExists(fs) || !describes(fs, expectedDocs)) {
        write(fs, documents);
      }
      return new ProductSearch(fs);
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
      return new ProductSearch(fs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index in " + dir, e);
    }
  }

  private static boolean describes(Directory dir, int expectedDocs) throws IOException {
    Map<String, String> data = DirectoryReader.listCommits(dir).getLast().getUserData();
    return FORMAT.equals(data.get(FORMAT_KEY))
        && String.valueOf(VERSION).equals(data.get(VERSION_KEY))
        && String.valueOf(expectedDocs).equals(data.get(DOCS_KEY));
  }

  private static void write(Directory dir, Iterable<SearchDocument> documents) throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(analyzer())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setSimilarity(similarity())
        .setIndexSort(BY_ID)
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
      doc.add(id);
      doc.add(idValue);
      doc.add(contents);
      for (SearchDocument d : documents) {
        if (!seen.add(d.asin())) {
          throw new IllegalArgumentException("duplicate asin in the search documents: " + d.asin());
        }
        id.setStringValue(d.asin());
        idValue.setBytesValue(new BytesRef(d.asin()));
        contents.setStringValue(d.text());
        writer.addDocument(doc);
        docs++;
      }
      // One segment: with the index sorted by id, doc id order is then ASIN order across the whole index, which is
      // what makes Lucene's tie-break equal Anserini's.
      writer.forceMerge(1);
      writer.setLiveCommitData(Map.of(
          FORMAT_KEY, FORMAT, VERSION_KEY, String.valueOf(VERSION), DOCS_KEY, String.valueOf(docs)).entrySet());
      writer.commit();
    }
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
    Map<String, Integer> counts = new LinkedHashMap<>();
    int limit = IndexSearcher.getMaxClauseCount();
    for (String term : analyze(analyzer, text)) {
      if (counts.size() < limit || counts.containsKey(term)) {
        counts.merge(term, 1, Integer::sum);
      }
    }
    BooleanQuery.Builder builder = new BooleanQuery.Builder();
    counts.forEach((term, count) ->
        builder.add(new BoostQuery(new TermQuery(new Term(field, term)), count), BooleanClause.Occur.SHOULD));
    return builder.build();
  }

  /** The query {@link #search} runs for {@code text}. */
  public Query query(String text) {
    return bagOfWords(analyzer, CONTENTS, text);
  }

  /** The ASINs of the best {@code k} products for {@code text}, best first. */
  public List<String> search(String text, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive: " + k);
    }
    try {
      TopDocs top = searcher.search(query(text), k);
      return asins(top.scoreDocs);
    } catch (IOException e) {
      throw new UncheckedIOException("search failed for: " + text, e);
    }
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
