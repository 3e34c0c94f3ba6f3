package org.eef4j.webshop.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import java.util.function.Supplier;
import org.eef4j.webshop.env.WebShopEnv;

/**
 * The server's sessions by id, bounded like AgentGym's ({@code WebshopEnvServer}, AG:agentenv_webshop/environment.py):
 * ids are random in 0..48,950,076; once {@code capacity} sessions exist, {@code create} hands out the existing ids in
 * turn instead of making more (so two clients may then share a session, as with the original). {@code close} frees a
 * slot. Thread-safe; each session is guarded by its own lock ({@link #withEnv}). The factory runs under the table's
 * lock, so it must be quick (a session is a few objects).
 */
final class EnvTable {
  static final int MAX_ID = 48_950_076;

  private final int capacity;
  private final Supplier<WebShopEnv> factory;
  private final RandomGenerator random;
  private final Map<Integer, WebShopEnv> envs = new ConcurrentHashMap<>();
  private final List<Integer> order = new ArrayList<>(); // creation order, for cycling when full
  private int next = -1;

  EnvTable(int capacity, Supplier<WebShopEnv> factory, RandomGenerator random) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.factory = factory;
    this.random = random;
  }

  synchronized int create() {
    if (envs.size() >= capacity) {
      next = (next + 1) % order.size();
      return order.get(next);
    }
    int id;
    do {
      id = random.nextInt(MAX_ID + 1);
    } while (envs.containsKey(id));
    envs.put(id, factory.get());
    order.add(id);
    return id;
  }

  synchronized boolean close(int id) {
    if (envs.remove(id) == null) {
      return false;
    }
    order.remove(Integer.valueOf(id));
    if (next >= order.size()) {
      next = -1;
    }
    return true;
  }

  synchronized List<Integer> ids() {
    return List.copyOf(order);
  }

  /** Runs {@code action} on session {@code id} while holding that session's lock: sessions are not thread-safe. */
  <T> T withEnv(int id, java.util.function.Function<WebShopEnv, T> action) {
    WebShopEnv env = envs.get(id);
    if (env == null) {
      throw new NoSuchElementException("no environment with env_idx " + id + " (create one with POST /create)");
    }
    synchronized (env) {
      return action.apply(env);
    }
  }
}
