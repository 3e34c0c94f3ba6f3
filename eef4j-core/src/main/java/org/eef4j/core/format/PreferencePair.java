package org.eef4j.core.format;

import java.util.List;
import java.util.Objects;
import org.eef4j.core.trajectory.ChatMessage;

/**
 * A DPO preference pair as ETO's construct_preference.py writes it: a shared prompt (the instruction, "OK", and the
 * task's first observation) and two continuations of it, the preferred one and the rejected one, each starting with an
 * assistant turn and ending with one.
 */
public record PreferencePair(
    String id, List<ChatMessage> prompt, List<ChatMessage> chosen, List<ChatMessage> rejected) {
  public PreferencePair {
    Objects.requireNonNull(id, "id");
    prompt = List.copyOf(prompt);
    chosen = List.copyOf(chosen);
    rejected = List.copyOf(rejected);
  }
}
