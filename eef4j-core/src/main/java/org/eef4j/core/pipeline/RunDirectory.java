package org.eef4j.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.eef4j.core.format.AtomicFiles;

/**
 * Ownership of a run directory: the one process that may write into it, and the record (run.json) of the run it holds.
 *
 * <p>{@link #own} does, in this order and before anything else touches the directory: take the directory's lock
 * ({@code .lock}, an OS file lock released when the process ends, however it ends); compare run.json, when there is one,
 * with the record of the run that asks, refusing it naming the first key that differs; refuse a directory that holds
 * files but no run.json (not a run directory: writing there could overwrite a person's files); write run.json for a new
 * run; and remove the temporary files a killed writer left ({@code .NAME.tmp} files and directories, which {@link
 * AtomicFiles} and checkpoint saving write before renaming into place). Only then does the caller write inputs, stages
 * and results.
 *
 * <p>A record is a JSON object; {@link #agree} compares the keys a caller knows (the pipeline adds its own to the
 * command line's), so that run.json ends up as the union, each key written once. Top-level keys listed in {@link
 * #UNCOMPARED} describe the run's circumstances rather than its results and are written at creation, never compared.
 */
public final class RunDirectory implements AutoCloseable {

  /** The lock file; it stays in the directory (removing it would race with a process waiting to take it). */
  public static final String LOCK = ".lock";

  /**
   * Top-level run.json keys written when the run starts and not compared on resume: {@code machine} holds facts of the
   * machine that started the run (processors, architecture, JVM), {@code eef4j_version} the build that started it (its
   * commit): both for a reader of the results; a rebuilt eef4j resumes a run as it always could.
   */
  public static final List<String> UNCOMPARED = List.of("machine", "eef4j_version");

  /** A directory this run may not write into: in use, of another run, or not a run directory. */
  public static final class RefusedException extends IllegalStateException {
    public RefusedException(String message) {
      super(message);
    }
  }

  private final RunStore store;
  private final FileChannel channel;
  private final FileLock lock;

  private RunDirectory(RunStore store, FileChannel channel, FileLock lock) {
    this.store = store;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Owns {@code root} for a run described by {@code record} (a JSON object whose keys run.json must hold with the same
   * values), creating the directory when it does not exist.
   *
   * @throws RefusedException when another process holds the directory, run.json records a different run, or the
   *     directory holds files but no run.json
   */
  public static RunDirectory own(Path root, ObjectNode record) {
    RunStore store = new RunStore(root);
    Path dir = store.root();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run directory " + dir, e);
    }
    RunDirectory owner = lock(store);
    try {
      Path runFile = store.runFile();
      if (Files.exists(runFile)) {
        owner.agree(record, false);
      } else {
        List<String> present = ownFiles(dir);
        if (!present.isEmpty()) {
          throw new RefusedException(dir + " holds files (" + String.join(", ", present) + ") but no run.json: it is"
              + " not a run directory; choose a new or empty directory");
        }
        RunStore.writeJson(runFile, record);
      }
      owner.removeStaleTemporaries();
      return owner;
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
  }

  /**
   * Holds an existing run directory for a writer that adds to a run's results without being the run (the report): the
   * lock only; run.json is neither compared nor written, and nothing is removed.
   *
   * @throws RefusedException when another process holds the directory
   */
  public static RunDirectory hold(Path root) {
    RunStore store = new RunStore(root);
    if (!Files.isDirectory(store.root())) {
      throw new UncheckedIOException(new java.io.FileNotFoundException(store.root() + ": no such directory"));
    }
    return lock(store);
  }

  /** Takes the directory's lock, writing this process's id into the lock file. */
  private static RunDirectory lock(RunStore store) {
    Path dir = store.root();
    Path lockFile = dir.resolve(LOCK);
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + lockFile, e);
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        throw new RefusedException(dir + " is in use by another run in this process");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + lockFile, e);
      }
      if (lock == null) {
        throw new RefusedException(dir + " is in use by another eef4j run" + holder(channel)
            + "; wait for it to end, or choose another run directory");
      }
      RunDirectory owner = new RunDirectory(store, channel, lock);
      owner.writeHolder();
      return owner;
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  public Path root() {
    return store.root();
  }

  public RunStore store() {
    return store;
  }

  /**
   * Checks that run.json holds every key of {@code fields} with the same value; keys it lacks are added when {@code
   * addMissing} (a record a later part of the run contributes), refused otherwise.
   *
   * @throws RefusedException naming the first key that differs
   */
  public void agree(ObjectNode fields, boolean addMissing) {
    Path file = store.runFile();
    ObjectNode recorded = (ObjectNode) RunStore.readTagged(file, RunStore.RUN).deepCopy();
    JsonNode wanted = RunStore.reparse(fields);
    boolean added = false;
    for (Iterator<String> it = wanted.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (UNCOMPARED.contains(key)) {
        continue;
      }
      if (!recorded.has(key)) {
        if (!addMissing) {
          throw differs(file, key + ": not in run.json (written by another version of eef4j?), " + show(wanted.get(key))
              + " in this run");
        }
        recorded.set(key, wanted.get(key));
        added = true;
        continue;
      }
      Optional<String> d = firstDifference(key, recorded.get(key), wanted.get(key));
      if (d.isPresent()) {
        throw differs(file, d.get());
      }
    }
    if (added) {
      RunStore.writeJson(file, recorded);
    }
  }

  private static RefusedException differs(Path file, String difference) {
    return new RefusedException(file + " records a different run: " + difference + "; resume only with the same"
        + " config, or choose a new run directory");
  }

  /** The first path at which {@code recorded} (run.json) and {@code wanted} (this run) differ, with both values. */
  static Optional<String> firstDifference(String path, JsonNode recorded, JsonNode wanted) {
    if (recorded.isObject() && wanted.isObject()) {
      for (Iterator<String> it = wanted.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        String at = path + "." + k;
        if (!recorded.has(k)) {
          return Optional.of(at + ": not in run.json, " + show(wanted.get(k)) + " in this run");
        }
        Optional<String> d = firstDifference(at, recorded.get(k), wanted.get(k));
        if (d.isPresent()) {
          return d;
        }
      }
      for (Iterator<String> it = recorded.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!wanted.has(k)) {
          return Optional.of(path + "." + k + ": " + show(recorded.get(k)) + " in run.json, not in this run");
        }
      }
      return Optional.empty();
    }
    if (recorded.isArray() && wanted.isArray()) {
      for (int i = 0; i < Math.min(recorded.size(), wanted.size()); i++) {
        Optional<String> d = firstDifference(path + "[" + i + "]", recorded.get(i), wanted.get(i));
        if (d.isPresent()) {
          return d;
        }
      }
      if (recorded.size() != wanted.size()) {
        return Optional.of(path + ": " + recorded.size() + " entries in run.json, " + wanted.size() + " in this run");
      }
      return Optional.empty();
    }
    return recorded.equals(wanted)
        ? Optional.empty()
        : Optional.of(path + ": " + show(recorded) + " in run.json, " + show(wanted) + " in this run");
  }

  private static String show(JsonNode n) {
    String s = n.toString();
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** The files and folders of a directory other than the lock and temporaries (which a killed first start may leave). */
  private static List<String> ownFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(LOCK) && !isTemporary(n))
          .sorted()
          .limit(3)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  static boolean isTemporary(String name) {
    return name.startsWith(".") && name.endsWith(".tmp");
  }

  /**
   * Removes what writers killed mid-write left behind: temporary files and directories ({@code .NAME.tmp}), anywhere in
   * the run directory. Safe only under the lock: a live writer's temporaries would go too.
   */
  void removeStaleTemporaries() {
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root())) {
      s.filter(p -> !p.equals(root()) && isTemporary(p.getFileName().toString())).forEach(stale::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root(), e);
    }
    for (Path p : stale) {
      try {
        deleteTree(p);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the stale temporary " + p, e);
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return; // inside a temporary directory removed before it
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  /** Writes this process's id into the lock file, so that a refused run can say which process holds the directory. */
  private void writeHolder() {
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + root().resolve(LOCK), e);
    }
  }

  private static String holder(FileChannel channel) {
    try {
      ByteBuffer b = ByteBuffer.allocate(32);
      int n = channel.read(b, 0);
      String pid = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
      return pid.matches("\\d+") ? " (process " + pid + ")" : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Releases the lock; the directory may then be owned by another run. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      // the lock goes with the channel below
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing a lock file's channel fails only if it was already unusable; nothing was written through it
    }
  }

  /** Whether this object still holds the lock of {@code dir}. */
  boolean owns(Path dir) {
    return lock.isValid() && root().equals(Objects.requireNonNull(dir).toAbsolutePath());
  }
}
