package org.eef4j.webshop.synthetic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.eef4j.webshop.catalog.Catalog;
import org.eef4j.webshop.catalog.Product;

/**
 * A stand-in for the environment's search, written to the spec (WEBSHOP.md d: Anserini's analyzer chain, bag-of-words
 * query, BM25 k1=0.9 b=0.4, top 50), so the synthetic catalogue's difficulty levels can be checked from this package.
 */
final class SearchRanks implements AutoCloseable {

  private static final Analyzer ANALYZER = new Analyzer() {
    @Override
    protected TokenStreamComponents createComponents(String field) {
      Tokenizer source = new StandardTokenizer();
      TokenStream s = new EnglishPossessiveFilter(source);
      s = new LowerCaseFilter(s);
      s = new StopFilter(s, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
      s = new PorterStemFilter(s);
      return new TokenStreamComponents(source, s);
    }
  };

  private final ByteBuffersDirectory dir = new ByteBuffersDirectory();
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  SearchRanks(Catalog catalog) {
    try {
      IndexWriterConfig config = new IndexWriterConfig(ANALYZER).setSimilarity(new BM25Similarity(0.9f, 0.4f));
      try (IndexWriter w = new IndexWriter(dir, config)) {
        for (Product p : catalog.products()) {
          Document d = new Document();
          d.add(new StoredField("id", p.asin()));
          d.add(new TextField("contents", p.searchText(), Field.Store.NO));
          w.addDocument(d);
        }
      }
      reader = DirectoryReader.open(dir);
      searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity(0.9f, 0.4f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ASINs of the top 50 hits for the query. */
  List<String> search(String query) {
    try {
      Map<String, Integer> counts = new LinkedHashMap<>();
      try (TokenStream ts = ANALYZER.tokenStream("contents", query)) {
        CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
        ts.reset();
        while (ts.incrementToken()) {
          counts.merge(term.toString(), 1, Integer::sum);
        }
        ts.end();
      }
      BooleanQuery.Builder q = new BooleanQuery.Builder();
      counts.forEach((t, n) -> q.add(new BoostQuery(new TermQuery(new Term("contents", t)), n),
          BooleanClause.Occur.SHOULD));
      List<String> out = new ArrayList<>();
      for (ScoreDoc sd : searcher.search(q.build(), 50).scoreDocs) {
        out.add(searcher.storedFields().document(sd.doc).get("id"));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
    dir.close();
  }
}
