package org.eef4j.core.format;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a file so that readers see either the old file or the complete new one, never a torn one, even after a power
 * cut: the content goes to a temporary file in the same directory ({@code .NAME.RANDOM.tmp}), which is flushed to the
 * disk (fsync) and then replaces the target with an atomic rename, and the directory is flushed so that the rename
 * itself survives. A run killed mid-write leaves at most a stray temporary file, which the next owner of the run
 * directory removes ({@code RunDirectory}), and a restarted run sees that the output is missing.
 */
public final class AtomicFiles {

  /** Writes the content of a file into the stream it is given. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Told of every file and directory flushed to the disk. Durability cannot be observed without cutting the power, so
   * tests observe that each write asks for it.
   */
  static volatile Consumer<Path> synced = p -> {};

  private AtomicFiles() {}

  public static void write(Path target, Content content) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      // not Files.createTempFile: it makes the file owner-only (600), and the rename would pass that on to a run's
      // outputs; a new file of our own gets the user's umask, like any file the user writes
      tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        // writers close what they are given (Jackson does): the channel must stay open to be forced
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16) {
          @Override
          public void close() throws IOException {
            flush();
          }
        };
        content.writeTo(out);
        out.flush();
        channel.force(true);
        synced.accept(tmp);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      syncDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write already failed; that error is the one to report
        }
      }
    }
  }

  /**
   * Flushes every file and directory under {@code root} (root included) to the disk: a directory written in place of
   * a checkpoint is complete on the disk before it is renamed to its final name.
   */
  public static void syncTree(Path root) throws IOException {
    List<Path> all;
    try (Stream<Path> s = Files.walk(root)) {
      // deepest first: a directory is flushed after the entries it lists
      all = s.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      if (Files.isDirectory(p)) {
        syncDirectory(p);
      } else {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
          c.force(true);
        }
        synced.accept(p);
      }
    }
  }

  /** Flushes a directory's entries (a rename into it, a file created in it) to the disk. */
  public static void syncDirectory(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
      synced.accept(dir);
    } catch (IOException e) {
      // some platforms (Windows) cannot open a directory: there, a rename is as durable as the file system makes it
    }
  }
}
