package org.eef4j.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * An environment server's sessions by id, bounded in number, as AgentGym's environment servers keep them (WebShop's and
 * SciWorld's speak the same shape: {@code /create} gives an id, every other route names one). A full table never hands
 * out a session that exists (AgentGym's WebShop server cycles through old sessions there, so a new client's reset
 * silently moves an old client's page): {@link #create} frees the session idle the longest if it has been idle at least
 * {@code evictAfter} (a client that went away or forgot to close), whose owner is then told so ({@link Ended} with
 * {@link End#EVICTED}, answered 410); otherwise it is refused ({@link Full}, answered 503). Ids of closed and evicted
 * sessions are remembered (as many as the capacity) and never given out again while remembered, so an old owner's
 * next request cannot land in someone else's session, and it learns why its session is gone.
 *
 * <p>Thread-safe. The table's own lock guards the bookkeeping only and is never held while a session is made, used or
 * disposed of; each session is guarded by its own lock while a request uses it ({@link #withSession}), so sessions need
 * not be thread-safe. A session in use is never evicted, and a closed one is disposed of only once the requests using it
 * are done. Sessions may be slow to make (a simulator starting): the id is reserved first and its requests wait.
 *
 * @param <S> a session
 */
public final class SessionTable<S> {

  /** Why a session is no longer live. */
  public enum End { CLOSED, EVICTED }

  /** The table is full and no session has been idle long enough to give way. */
  public static final class Full extends RuntimeException {
    Full(String message) {
      super(message);
    }
  }

  /** No session has this id, nor had one the table still remembers. */
  public static final class Unknown extends RuntimeException {
    private final int id;

    Unknown(int id) {
      super("no session with id " + id);
      this.id = id;
    }

    public int id() {
      return id;
    }
  }

  /** The session was closed, or evicted to make room (the message then says why and what to do). */
  public static final class Ended extends RuntimeException {
    private final int id;
    private final End how;

    Ended(int id, End how, String message) {
      super(message);
      this.id = id;
      this.how = how;
    }

    public int id() {
      return id;
    }

    public End how() {
      return how;
    }
  }

  private record Retired(End how, String message) {}

  /** A live session, or one being made (session null); its lock is held while the session is made or used. */
  private static final class Slot<S> {
    S session;
    int inUse; // guarded by the table
    long lastUsedNanos; // guarded by the table
    boolean ended; // guarded by the slot
  }

  private final int capacity;
  private final Duration evictAfter;
  private final Supplier<S> factory;
  private final Consumer<S> dispose;
  private final IntSupplier ids;
  private final LongSupplier clock;
  /** Live sessions, least recently used first (access order), which is the order eviction looks at them. */
  private final LinkedHashMap<Integer, Slot<S>> live = new LinkedHashMap<>(16, 0.75f, true);
  /** Closed and evicted ids, oldest first, at most {@code capacity} of them. */
  private final LinkedHashMap<Integer, Retired> retired;

  /**
   * @param evictAfter how long a session must have been idle before a full table gives its place to a new one; null
   *     never evicts (a full table always answers {@link Full})
   * @param factory makes a new session (called outside the table's lock)
   * @param dispose frees a session closed or evicted (called once per session, when no request uses it)
   * @param ids candidate ids, called under the table's lock until one is neither live nor remembered
   * @param clock monotonic nanoseconds ({@link System#nanoTime} outside tests)
   */
  public SessionTable(int capacity, Duration evictAfter, Supplier<S> factory, Consumer<S> dispose, IntSupplier ids,
      LongSupplier clock) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    if (evictAfter != null && evictAfter.isNegative()) {
      throw new IllegalArgumentException("evictAfter must not be negative: " + evictAfter);
    }
    this.capacity = capacity;
    this.evictAfter = evictAfter;
    this.factory = factory;
    this.dispose = dispose;
    this.ids = ids;
    this.clock = clock;
    this.retired = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, Retired> eldest) {
        return size() > capacity;
      }
    };
  }

  public int capacity() {
    return capacity;
  }

  /** A new session's id; throws {@link Full} when the table is full and no session may give way. */
  public int create() {
    Slot<S> slot = new Slot<>();
    synchronized (slot) { // held until the session is made: a request naming the id early waits for it
      int id;
      Slot<S> evicted = null;
      synchronized (this) {
        long now = clock.getAsLong();
        if (live.size() >= capacity) {
          evicted = evictIdlest(now);
        }
        do {
          id = ids.getAsInt();
        } while (live.containsKey(id) || retired.containsKey(id));
        slot.inUse = 1; // not evictable while being made
        slot.lastUsedNanos = now;
        live.put(id, slot);
      }
      if (evicted != null) {
        end(evicted); // first, so that what it frees can serve the new session
      }
      boolean made = false;
      try {
        slot.session = factory.get();
        made = true;
      } finally {
        synchronized (this) {
          slot.inUse--;
          slot.lastUsedNanos = clock.getAsLong();
          if (!made) {
            live.remove(id);
            slot.ended = true;
          }
        }
      }
      return id;
    }
  }

  private Slot<S> evictIdlest(long now) {
    for (Iterator<Map.Entry<Integer, Slot<S>>> it = live.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, Slot<S>> e = it.next();
      Slot<S> s = e.getValue();
      if (s.inUse > 0) {
        continue;
      }
      // access order: the first session not in use is the one idle the longest
      long idleNanos = now - s.lastUsedNanos;
      if (evictAfter == null || idleNanos < evictAfter.toNanos()) {
        break;
      }
      it.remove();
      retired.put(e.getKey(), new Retired(End.EVICTED, "environment " + e.getKey()
          + " was closed to make room for a new one after " + Duration.ofNanos(idleNanos).toSeconds()
          + " s idle (the server holds at most " + capacity + " sessions); create a new one with POST /create"));
      return s;
    }
    throw new Full("the server already holds its " + capacity + " sessions and none has been idle for "
        + (evictAfter == null ? "eviction (eviction is off)" : evictAfter.toSeconds() + " s")
        + "; close finished sessions with POST /close, or retry later");
  }

  /**
   * Closes session {@code id}, waiting for the requests using it; throws {@link Unknown} or {@link Ended} when it is not
   * live.
   */
  public void close(int id) {
    Slot<S> slot;
    synchronized (this) {
      slot = live.remove(id);
      if (slot == null) {
        throw notLive(id);
      }
      retired.put(id, new Retired(End.CLOSED, "environment " + id + " was closed"));
    }
    end(slot);
  }

  /** Closes every session (the server is stopping), waiting for the requests using them. */
  public void closeAll() {
    List<Slot<S>> all;
    synchronized (this) {
      all = new ArrayList<>(live.values());
      live.clear();
    }
    all.forEach(this::end);
  }

  private void end(Slot<S> slot) {
    synchronized (slot) {
      if (!slot.ended) {
        slot.ended = true;
        if (slot.session != null) {
          dispose.accept(slot.session);
        }
      }
    }
  }

  private RuntimeException notLive(int id) {
    Retired r = retired.get(id);
    return r == null ? new Unknown(id) : new Ended(id, r.how(), r.message());
  }

  /** Live session ids, least recently used first. */
  public synchronized List<Integer> ids() {
    return new ArrayList<>(live.keySet());
  }

  public synchronized int size() {
    return live.size();
  }

  /**
   * Runs {@code action} on session {@code id} while holding that session's lock; throws {@link Unknown} or {@link Ended}
   * when it is not live.
   */
  public <T> T withSession(int id, Function<S, T> action) {
    Slot<S> slot;
    synchronized (this) {
      slot = live.get(id); // also marks it most recently used
      if (slot == null) {
        throw notLive(id);
      }
      slot.inUse++;
    }
    try {
      synchronized (slot) {
        if (slot.ended) { // closed (or never made) while this request waited for it
          synchronized (this) {
            throw notLive(id);
          }
        }
        return action.apply(slot.session);
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
