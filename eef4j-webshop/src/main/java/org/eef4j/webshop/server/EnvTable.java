package org.eef4j.webshop.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.eef4j.webshop.env.WebShopEnv;

/**
 * The server's sessions by id, bounded in number. Ids are random in 0..48,950,076 as AgentGym's ({@code
 * WebshopEnvServer}, AG:agentenv_webshop/environment.py), but a full table never hands out a session that exists: the
 * original cycles through old sessions there, so a new client's reset silently moves an old client's page. Here a full
 * table frees the session idle the longest if it has been idle at least {@code evictAfter} (a client that forgot to
 * close), whose owner is then told so ({@link Gone}, answered 410); otherwise {@code create} is refused ({@link Full},
 * answered 503). Ids of evicted sessions are remembered (as many as the capacity) and never given out again while
 * remembered, so the old owner's next request cannot land in someone else's session.
 *
 * <p>Thread-safe. The table's own lock guards the bookkeeping only; each session is guarded by its own lock while a
 * request uses it ({@link #withEnv}), and a session in use is never evicted. The factory runs under the table's lock,
 * so it must be quick (a session is a few objects).
 */
final class EnvTable {
  static final int MAX_ID = 48_950_076;

  /** The table is full and no session has been idle long enough to give way. */
  static final class Full extends RuntimeException {
    Full(String message) {
      super(message);
    }
  }

  /** The session was evicted to make room; its owner must create a new one. */
  static final class Gone extends RuntimeException {
    Gone(String message) {
      super(message);
    }
  }

  /** A live session: the environment, how many requests use it now, and when it was last used. */
  private static final class Slot {
    final WebShopEnv env;
    int inUse;
    long lastUsedNanos;

    Slot(WebShopEnv env, long now) {
      this.env = env;
      this.lastUsedNanos = now;
    }
  }

  private final int capacity;
  private final Duration evictAfter;
  private final Supplier<WebShopEnv> factory;
  private final RandomGenerator random;
  private final LongSupplier clock;
  /** Live sessions, least recently used first (access order), which is the order eviction looks at them. */
  private final LinkedHashMap<Integer, Slot> live = new LinkedHashMap<>(16, 0.75f, true);
  /** Evicted ids with the reason told to their owner, oldest first, at most {@code capacity} of them. */
  private final LinkedHashMap<Integer, String> evicted;

  /**
   * @param evictAfter how long a session must have been idle before a full table gives its place to a new one; null
   *     never evicts (a full table always answers 503)
   * @param clock monotonic nanoseconds ({@link System#nanoTime} outside tests)
   */
  EnvTable(int capacity, Duration evictAfter, Supplier<WebShopEnv> factory, RandomGenerator random, LongSupplier clock) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    if (evictAfter != null && evictAfter.isNegative()) {
      throw new IllegalArgumentException("evictAfter must not be negative: " + evictAfter);
    }
    this.capacity = capacity;
    this.evictAfter = evictAfter;
    this.factory = factory;
    this.random = random;
    this.clock = clock;
    this.evicted = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized int create() {
    long now = clock.getAsLong();
    if (live.size() >= capacity) {
      evictIdlest(now);
    }
    int id;
    do {
      id = random.nextInt(MAX_ID + 1);
    } while (live.containsKey(id) || evicted.containsKey(id));
    live.put(id, new Slot(factory.get(), now));
    return id;
  }

  private void evictIdlest(long now) {
    for (Iterator<Map.Entry<Integer, Slot>> it = live.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, Slot> e = it.next();
      Slot s = e.getValue();
      if (s.inUse > 0) {
        continue;
      }
      // access order: the first session not in use is the one idle the longest
      long idleNanos = now - s.lastUsedNanos;
      if (evictAfter == null || idleNanos < evictAfter.toNanos()) {
        break;
      }
      it.remove();
      evicted.put(e.getKey(), "environment " + e.getKey() + " was closed to make room for a new one after "
          + Duration.ofNanos(idleNanos).toSeconds() + " s idle (the server holds at most " + capacity
          + " sessions); create a new one with POST /create");
      return;
    }
    throw new Full("the server already holds its " + capacity + " sessions and none has been idle for "
        + (evictAfter == null ? "eviction (eviction is off)" : evictAfter.toSeconds() + " s")
        + "; close finished sessions with POST /close, or retry later");
  }

  synchronized boolean close(int id) {
    return live.remove(id) != null;
  }

  /** Live session ids, least recently used first. */
  synchronized List<Integer> ids() {
    return new ArrayList<>(live.keySet());
  }

  synchronized int size() {
    return live.size();
  }

  /** Runs {@code action} on session {@code id} while holding that session's lock: sessions are not thread-safe. */
  <T> T withEnv(int id, Function<WebShopEnv, T> action) {
    Slot slot;
    synchronized (this) {
      slot = live.get(id); // also marks it most recently used
      if (slot == null) {
        String reason = evicted.get(id);
        if (reason != null) {
          throw new Gone(reason);
        }
        throw new NoSuchElementException("no environment with env_idx " + id + " (create one with POST /create)");
      }
      slot.inUse++;
    }
    try {
      synchronized (slot) {
        return action.apply(slot.env);
      }
    } finally {
      synchronized (this) {
        slot.inUse--;
        slot.lastUsedNanos = clock.getAsLong();
        live.get(id); // the end of a use counts too: keeps access order the order of last use

      }
    }
  }
}
