package org.eef4j.remote.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eef4j.student.tokens.ChatTokens;

/** The shared fixtures the tests read (real Hugging Face tokenizers with their chat templates). */
public final class Shared {

  private Shared() {}

  public static Path tokenizerDir(String model) {
    Path p = Path.of(System.getProperty("eef4j.shared", "../shared")).resolve("fixtures/tokenizers/" + model);
    assumeTrue(Files.isDirectory(p), "skipped: needs " + p + " (the ../shared folder beside the clone)");
    return p;
  }

  private static volatile ChatTokens llama3;

  /** Llama 3's tokenizer and template, loaded once (its tokenizer.json is 9 MB). */
  public static ChatTokens llama3() {
    ChatTokens t = llama3;
    if (t == null) {
      synchronized (Shared.class) {
        if (llama3 == null) {
          llama3 = ChatTokens.load(tokenizerDir("llama3"));
        }
        t = llama3;
      }
    }
    return t;
  }
}
