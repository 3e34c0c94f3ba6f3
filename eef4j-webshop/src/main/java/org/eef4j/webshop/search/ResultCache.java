package org.eef4j.webshop.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hits of recent searches, least recently used dropped first. Keyed by the analyzed query (its terms and counts,
 * in order, and the number of hits), so texts that differ only in what analysis drops share an entry: they are the
 * same query. One lock: a hit costs well under a microsecond beside a search's milliseconds. (A hand-written LRU
 * because the module's dependencies hold no cache library and LinkedHashMap's access order is the whole of one.)
 */
public final class ResultCache {

  /** Searches answered from the cache, and searches that were not. */
  public record Stats(long hits, long misses) {}

  private final int capacity;
  private final Map<String, List<String>> entries;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  ResultCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
        return size() > ResultCache.this.capacity;
      }
    };
  }

  boolean enabled() {
    return capacity > 0;
  }

  static String key(int k, Map<String, Integer> bag) {
    StringBuilder key = new StringBuilder().append(k);
    bag.forEach((term, count) -> key.append('\u0000').append(term).append('\u0001').append(count));
    return key.toString();
  }

  List<String> get(String key) {
    List<String> found;
    synchronized (entries) {
      found = entries.get(key);
    }
    (found != null ? hits : misses).increment();
    return found;
  }

  void put(String key, List<String> asins) {
    synchronized (entries) {
      entries.put(key, asins);
    }
  }

  Stats stats() {
    return new Stats(hits.sum(), misses.sum());
  }
}
