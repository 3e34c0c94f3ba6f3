package org.eef4j.core.pipeline;

import java.nio.file.Path;
import java.util.Optional;

/** Makes students: the untrained base model that behaviour cloning starts from, or one saved by a finished stage. */
public interface StudentFactory {

  /** What the student is, for the run record (e.g. "engine llama d=64 L=2 from scratch", "tabular"). */
  String describe();

  /** A fresh copy of the base model; each call returns an independent model. */
  StudentModel base();

  /** The model a {@link StudentModel#save} wrote into the directory. */
  StudentModel load(Path directory);

  /**
   * The no-learning control with this student's decoding aids ({@link AidsOnlyControl}), or empty when the student
   * decodes without aids.
   */
  default Optional<AidsOnlyControl> aidsOnly() {
    return Optional.empty();
  }
}
