package org.eef4j.sciworld.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Simulators for environments that run at once, each in its own class loader, kept for reuse.
 *
 * <p>Starting a simulator costs a class loader's worth of classes (seconds, about 12 MB of metaspace), a load costs
 * tens of milliseconds, so an environment borrows an idle simulator and gives it back when it closes. That is sound
 * because {@code load} resets every static the simulator's episode depends on (it reseeds the random generator,
 * replaces the simplifications, restarts the uid counter and rebuilds the world): {@code SimulatorReuseTest} checks
 * that a reused simulator gives byte-identical transcripts to a fresh one on every task type. With {@code reuse}
 * off, every environment gets a fresh simulator (slow; for checking that claim). A simulator that called
 * {@code sys.exit} is never reused.
 *
 * <p>Thread-safe. The pool keeps as many simulators as were ever in use at once.
 */
public final class SimulatorPool implements AutoCloseable {

  private final JarImage image;
  private final boolean reuse;
  private final Path scratchDir;
  private final Deque<Simulator> idle = new ArrayDeque<>();
  private int started;
  private boolean closed;

  public SimulatorPool(SimulatorJar jar, boolean reuse) {
    this.image = JarImage.read(Objects.requireNonNull(jar, "jar"));
    this.reuse = reuse;
    try {
      this.scratchDir = Files.createTempDirectory("eef4j-sciworld-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the simulators' type tables", e);
    }
  }

  /** A pool that reuses simulators. */
  public SimulatorPool(SimulatorJar jar) {
    this(jar, true);
  }

  public SimulatorJar jar() {
    return image.jar();
  }

  public boolean reuses() {
    return reuse;
  }

  /** An idle simulator, or a new one; give it back with {@link #release}. */
  public Simulator acquire() {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the simulator pool is closed");
      }
      Simulator s = idle.poll();
      if (s != null) {
        return s;
      }
      started++;
    }
    return new Simulator(image, scratchDir); // outside the lock: starting takes seconds
  }

  /** Takes a simulator back; a broken one (it exited) or any one when reuse is off is dropped. */
  public void release(Simulator simulator) {
    synchronized (this) {
      if (reuse && !closed && !simulator.broken()) {
        idle.push(simulator);
        return;
      }
    }
    simulator.close();
  }

  /** How many simulators (class loaders) this pool has started. */
  public synchronized int started() {
    return started;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      idle.forEach(Simulator::close);
      idle.clear();
    }
    try (Stream<Path> files = Files.list(scratchDir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(scratchDir);
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
