/**
 * Product search as the original WebShop ran it through pyserini: Lucene BM25 over each product's indexed text, with
 * Anserini's analysis, bag-of-words query and tie order ({@link org.eef4j.webshop.search.ProductSearch}). Its results
 * equal the original index's, query by query (SearchParityTest).
 */
package org.eef4j.webshop.search;
