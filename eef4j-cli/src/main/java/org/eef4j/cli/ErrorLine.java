package org.eef4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.Optional;
import org.eef4j.core.format.FormatException;

/**
 * The one line ("error: ...") a person can act on for a failure that is not a bug: an I/O failure, named by the file and
 * the cause the operating system gave (disk full, permission denied, no such file), or a file whose content is not what
 * its format says (file:line: what). Anything else is a bug and keeps its stack trace.
 */
public final class ErrorLine {

  private ErrorLine() {}

  /** The line for a failure of the file system, with the file; empty when the failure is not one. */
  public static Optional<String> io(Throwable failure) {
    UncheckedIOException wrapper = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UncheckedIOException u && wrapper == null) {
        wrapper = u;
      }
      if (t instanceof IOException io) {
        String context = wrapper != null ? wrapper.getMessage() : null;
        return Optional.of(describe(context, io));
      }
    }
    return Optional.empty();
  }

  /** The line for a file whose content is malformed (its message names file and line); empty otherwise. */
  public static Optional<String> format(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof FormatException f) {
        return Optional.of(f.getMessage());
      }
    }
    return Optional.empty();
  }

  /** "what was being done (naming the file): why", the file taken from the exception when the context lacks it. */
  static String describe(String context, IOException e) {
    String file = e instanceof FileSystemException fs ? fs.getFile() : null;
    String cause = cause(e);
    if (context == null || context.isBlank()) {
      return (file != null ? file : "I/O") + ": " + cause;
    }
    // the wrapper's message may already end with the cause (": " + e.getMessage()): say it once
    String raw = e.getMessage();
    if (raw != null && context.endsWith(": " + raw)) {
      context = context.substring(0, context.length() - raw.length() - 2);
    }
    boolean namesFile = file == null || context.contains(file);
    return context + (namesFile ? "" : " (" + file + ")") + ": " + cause;
  }

  /** The operating system's reason in words a person acts on. */
  static String cause(IOException e) {
    return switch (e) {
      case NoSuchFileException x -> "no such file or directory";
      case AccessDeniedException x -> "permission denied";
      case FileAlreadyExistsException x -> "a file is in the way (" + x.getFile() + " exists)";
      case NotDirectoryException x -> "not a directory (a file stands where the path needs a directory)";
      case DirectoryNotEmptyException x -> "directory not empty";
      case CharacterCodingException x -> "not valid UTF-8";
      case FileSystemException x when x.getReason() != null -> reason(x.getReason());
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : reason(e.getMessage());
    };
  }

  private static String reason(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("no space left on device")) return "disk full (no space left on device)";
    if (m.contains("disk quota exceeded")) return "disk quota exceeded";
    if (m.contains("read-only file system")) return "read-only file system";
    if (m.contains("permission denied")) return "permission denied";
    if (m.contains("not a directory")) return "not a directory (a file stands where the path needs a directory)";
    if (m.contains("too many open files")) return "too many open files (raise the limit: ulimit -n)";
    return message;
  }
}
