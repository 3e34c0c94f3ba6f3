package org.eef4j.webshop.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * The original pyserini index (Lucene 8.11), searched the way the original WebShop's results came out: BM25(0.9, 0.4),
 * the bag-of-words query, best score first and equal scores in the index's doc id order.
 *
 * <p>Why doc id order and not "score, then the id field", which Anserini's SimpleSearcher asks Lucene for: the
 * original's results for WebShop-1k order equal scores by doc id (the reference lists: "2 mesh laundry bags"
 * gives B093K5JK25, B093YT83QR, B093KBGC44, three equal scores at doc ids 231, 717, 865, which is not ASIN order), and
 * searched here "score, then id" puts B093KBGC44 second. The index's doc ids are the order of products.jsonl, as
 * {@link #idsInDocIdOrder()} shows.
 *
 * <p>Scores: the index was written by Lucene 8.11.0 (its segment info says so). Lucene's BM25 arithmetic has been
 * {@code weight - weight / (1 + freq * (1 / norm))} in float since 8.4 (before it was {@code weight * (float) (freq /
 * (freq + norm))} in double); Lucene 9.12, which reads the index here through lucene-backward-codecs, computes the same,
 * and the document norms (one byte, {@code SmallFloat.intToByte4} of the length) are the ones 8.11 wrote.
 */
final class ReferenceIndex implements AutoCloseable {

  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Analyzer analyzer = ProductSearch.analyzer();
  private final String[] idByDoc;

  ReferenceIndex(Path dir) {
    try {
      reader = DirectoryReader.open(FSDirectory.open(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    searcher = new IndexSearcher(reader);
    searcher.setSimilarity(ProductSearch.similarity());
    idByDoc = new String[reader.maxDoc()];
    try {
      for (int doc = 0; doc < idByDoc.length; doc++) {
        idByDoc[doc] = searcher.storedFields().document(doc).get(ProductSearch.ID);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One hit: the product's ASIN and its score. */
  record Hit(String id, float score) {}

  List<String> search(String text, int k) {
    return scoredSearch(text, k).stream().map(Hit::id).toList();
  }

  /** The best {@code k} hits, best first, equal scores in doc id order (Lucene's own tie-break). */
  List<Hit> scoredSearch(String text, int k) {
    try {
      TopDocs top = searcher.search(ProductSearch.bagOfWords(analyzer, ProductSearch.CONTENTS, text), k);
      List<Hit> hits = new ArrayList<>();
      for (ScoreDoc hit : top.scoreDocs) {
        hits.add(new Hit(idByDoc[hit.doc], hit.score));
      }
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ASIN stored with each document, by doc id. */
  List<String> idsInDocIdOrder() {
    return List.of(idByDoc);
  }

  int count(String text) {
    try {
      return searcher.count(ProductSearch.bagOfWords(analyzer, ProductSearch.CONTENTS, text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
