package org.eef4j.engine.io;

/** A safetensors file or checkpoint that is malformed or does not match what the model expects. */
public final class SafeTensorsException extends RuntimeException {
  public SafeTensorsException(String message) {
    super(message);
  }

  public SafeTensorsException(String message, Throwable cause) {
    super(message, cause);
  }
}
