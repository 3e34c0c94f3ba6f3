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
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * The original pyserini index (Lucene 8.11), searched the way Anserini's SimpleSearcher searched it: BM25(0.9, 0.4),
 * the bag-of-words query, and the sort "score, then id ascending".
 */
final class ReferenceIndex implements AutoCloseable {
  private static final Sort ANSERINI_ORDER =
      new Sort(SortField.FIELD_SCORE, new SortField(ProductSearch.ID, SortField.Type.STRING));

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

  List<String> search(String text, int k) {
    try {
      TopDocs top = searcher.search(
          ProductSearch.bagOfWords(analyzer, ProductSearch.CONTENTS, text), k, ANSERINI_ORDER, true);
      List<String> ids = new ArrayList<>();
      for (ScoreDoc hit : top.scoreDocs) {
        ids.add(idByDoc[hit.doc]);
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
