package org.eef4j.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * The engine student's training lines (loss, learning rate every few steps) appended to {@code training.log} in the
 * run directory, each with the time of day: the terminal shows one progress bar per stage, and the log is where a
 * person checks that the loss went down. Appending keeps the lines of a killed run's earlier attempts.
 */
final class TrainingLog implements Consumer<String> {

  static final String FILE = "training.log";

  /** Always with seconds (LocalTime.toString drops ":00"). */
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Path file;

  TrainingLog(Path file) {
    this.file = file;
  }

  @Override
  public synchronized void accept(String line) {
    String stamped = CLOCK.format(LocalTime.now()) + " " + line + System.lineSeparator();
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, stamped, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }
}
