package org.eef4j.webshop.catalog;

import java.nio.file.Path;

/** A catalogue file is missing or malformed; the message names the file and, where known, the line or JSON path. */
public final class CatalogException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public CatalogException(String message) {
    super(message);
  }

  public CatalogException(String message, Throwable cause) {
    super(message, cause);
  }

  static CatalogException in(Path file, String where, String problem) {
    return new CatalogException(file + (where.isEmpty() ? "" : " at " + where) + ": " + problem);
  }

  static CatalogException in(Path file, String where, String problem, Throwable cause) {
    return new CatalogException(file + (where.isEmpty() ? "" : " at " + where) + ": " + problem, cause);
  }
}
