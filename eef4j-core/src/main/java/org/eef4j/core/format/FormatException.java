package org.eef4j.core.format;

import java.nio.file.Path;

/** A file that does not hold what its format says, with where: file and line (1-based; 0 when unknown). */
public class FormatException extends RuntimeException {

  private final Path file;
  private final long line;

  public FormatException(Path file, long line, String message, Throwable cause) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message, cause);
    this.file = file;
    this.line = line;
  }

  public FormatException(Path file, long line, String message) {
    this(file, line, message, null);
  }

  public Path file() {
    return file;
  }

  public long line() {
    return line;
  }
}
