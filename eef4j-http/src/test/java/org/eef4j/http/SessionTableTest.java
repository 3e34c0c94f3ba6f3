package org.eef4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The session table's guarantees without HTTP: every wait bounded. */
class SessionTableTest {

  private final AtomicInteger made = new AtomicInteger();
  private final List<String> disposed = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextId = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong();

  private SessionTable<String> table(int capacity, Duration evictAfter) {
    return new SessionTable<>(capacity, evictAfter, () -> "s" + made.getAndIncrement(), disposed::add,
        nextId::getAndIncrement, clock::get);
  }

  @Test
  void aFullTableRefusesUnlessTheIdleLongestMayGiveWay() {
    SessionTable<String> t = table(2, Duration.ofSeconds(60));
    int a = t.create();
    clock.addAndGet(Duration.ofSeconds(30).toNanos());
    int b = t.create();
    clock.addAndGet(Duration.ofSeconds(40).toNanos());
    t.withSession(a, s -> s); // a used last: b idles longest, 40 s
    assertThatThrownBy(t::create).isInstanceOf(SessionTable.Full.class).hasMessageContaining("2 sessions");
    clock.addAndGet(Duration.ofSeconds(30).toNanos());
    int c = t.create();
    assertThat(c).isNotIn(a, b);
    assertThat(disposed).containsExactly("s1");
    assertThatThrownBy(() -> t.withSession(b, s -> s)).isInstanceOfSatisfying(SessionTable.Ended.class,
        e -> assertThat(e.how()).isEqualTo(SessionTable.End.EVICTED)).hasMessageContaining("environment " + b);
    assertThat(use(t, a)).isEqualTo("s0");
    assertThat(t.ids()).containsExactly(c, a);
  }

  @Test
  void closedAndEvictedIdsAreNotGivenOutAgainWhileRemembered() {
    AtomicInteger cycle = new AtomicInteger();
    SessionTable<String> t = new SessionTable<>(3, Duration.ZERO, () -> "s", disposed::add,
        () -> cycle.getAndIncrement() % 4, clock::get);
    int a = t.create();
    t.close(a);
    assertThatThrownBy(() -> t.withSession(a, s -> s)).isInstanceOfSatisfying(SessionTable.Ended.class,
        e -> assertThat(e.how()).isEqualTo(SessionTable.End.CLOSED));
    int b = t.create();
    int c = t.create();
    int d = t.create();
    assertThat(List.of(b, c, d)).doesNotContain(a).doesNotHaveDuplicates();
    assertThatThrownBy(() -> t.withSession(99, s -> s)).isInstanceOf(SessionTable.Unknown.class);
    assertThatThrownBy(() -> t.close(a)).isInstanceOf(SessionTable.Ended.class);
  }

  @Test
  void aClosedSessionIsDisposedOnlyAfterTheRequestUsingItAndNotUsedAfter() throws Exception {
    SessionTable<String> t = table(4, null);
    int a = t.create();
    CountDownLatch using = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> request = threads.submit(() -> t.withSession(a, s -> {
        using.countDown();
        await(release);
        return s;
      }));
      assertThat(using.await(10, TimeUnit.SECONDS)).isTrue();
      Future<?> close = threads.submit(() -> t.close(a));
      Thread.sleep(100); // a pause that lets a close which does not wait dispose too early; no assertion needs its length
      assertThat(disposed).isEmpty();
      assertThat(close.isDone()).isFalse();
      release.countDown();
      assertThat(request.get(10, TimeUnit.SECONDS)).isEqualTo("s0");
      close.get(10, TimeUnit.SECONDS);
      assertThat(disposed).containsExactly("s0");
    }
    assertThatThrownBy(() -> t.withSession(a, s -> s)).isInstanceOf(SessionTable.Ended.class);
  }

  @Test
  void aSlowSessionToMakeHoldsUpNoOtherRequest() throws Exception {
    CountDownLatch slow = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    SessionTable<String> t = new SessionTable<>(4, null, () -> {
      if (calls.getAndIncrement() == 0) {
        await(slow);
      }
      return "made";
    }, disposed::add, nextId::getAndIncrement, clock::get);
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> first = threads.submit(t::create);
      while (t.size() == 0) {
        Thread.onSpinWait(); // the first create has reserved its id
      }
      int second = t.create();
      assertThat(use(t, second)).isEqualTo("made");
      int firstId = t.ids().getFirst();
      Future<String> early = threads.submit(() -> t.withSession(firstId, s -> s)); // waits for its session
      slow.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(firstId);
      assertThat(early.get(10, TimeUnit.SECONDS)).isEqualTo("made");
    }
  }

  @Test
  void aSessionThatCannotBeMadeFreesItsPlace() {
    AtomicInteger calls = new AtomicInteger();
    SessionTable<String> t = new SessionTable<>(1, null, () -> {
      if (calls.getAndIncrement() == 0) {
        throw new IllegalStateException("no simulator");
      }
      return "made";
    }, disposed::add, nextId::getAndIncrement, clock::get);
    assertThatThrownBy(t::create).hasMessage("no simulator");
    assertThat(t.size()).isZero();
    int id = t.create();
    assertThat(use(t, id)).isEqualTo("made");
    t.closeAll();
    assertThat(disposed).containsExactly("made");
    assertThat(t.size()).isZero();
  }

  private static String use(SessionTable<String> t, int id) {
    return t.withSession(id, s -> s);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
