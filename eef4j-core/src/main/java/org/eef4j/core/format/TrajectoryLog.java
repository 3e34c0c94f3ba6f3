package org.eef4j.core.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.Trajectory;

/**
 * Trajectories appended one at a time as their episodes finish, in {@link TrajectoryFormat}'s layout (a header line,
 * then one trajectory a line), so that a stage killed part-way keeps the episodes it finished. Opening a log reads back
 * what it holds; a last line cut short by the kill, or one that does not parse, is dropped with everything after it
 * (those episodes are played again), so the log always ends on a whole record.
 */
public final class TrajectoryLog implements AutoCloseable {

  private final Path file;
  private final FileChannel channel;
  private final List<Trajectory> recorded;

  private TrajectoryLog(Path file, FileChannel channel, List<Trajectory> recorded) {
    this.file = file;
    this.channel = channel;
    this.recorded = recorded;
  }

  /** Opens the log, creating it with its header, or reading back (and trimming) what an earlier attempt wrote. */
  public static TrajectoryLog open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
      List<Trajectory> recorded = new ArrayList<>();
      long keep = 0;
      int line = 0;
      for (int start = 0, end; start < bytes.length && (end = indexOf(bytes, '\n', start)) >= 0; start = end + 1) {
        line++;
        JsonNode n;
        try {
          n = JsonRecords.MAPPER.readTree(new String(bytes, start, end - start, StandardCharsets.UTF_8));
          if (line == 1) {
            TrajectoryFormat.TAG.check(n);
          } else {
            recorded.add(TrajectoryFormat.decode(n));
          }
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
          break; // written when the process died: this episode and any after it are played again
        }
        keep = end + 1;
      }
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channel.truncate(keep);
      channel.position(keep);
      TrajectoryLog log = new TrajectoryLog(file, channel, recorded);
      if (keep == 0) {
        recorded.clear();
        log.writeLine(TrajectoryFormat.TAG.toJson().toString());
      }
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  private static int indexOf(byte[] b, char c, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == c) return i;
    }
    return -1;
  }

  /** The trajectories an earlier attempt finished, in the order they finished. */
  public List<Trajectory> recorded() {
    return List.copyOf(recorded);
  }

  /** Appends a finished episode; it is in the file (the operating system's) when this returns. */
  public synchronized void append(Trajectory t) {
    try {
      writeLine(JsonRecords.MAPPER.writeValueAsString(TrajectoryFormat.encode(t)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  private void writeLine(String json) throws IOException {
    ByteBuffer b = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }

  /** Closes and removes the log: the stage's complete output is written. */
  public void discard() {
    close();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + file, e);
    }
  }
}
