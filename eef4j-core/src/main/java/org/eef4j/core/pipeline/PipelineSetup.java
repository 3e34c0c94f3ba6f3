package org.eef4j.core.pipeline;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.core.agent.ReactPrompt;

/**
 * The live parts of a run, which a config names but cannot hold: the environment, its prompt and tasks, the experts and
 * the student.
 *
 * @param environment opens fresh environments, deterministic under replay
 * @param prompt the ReAct prompt policies read and training conversations start with
 * @param tasks training and test tasks
 * @param experts the experts, the first being the one behaviour cloning learns from; names unique
 * @param student makes the base student and loads saved ones
 */
public record PipelineSetup(
    EnvironmentFactory environment,
    ReactPrompt prompt,
    TaskSuite tasks,
    List<ExpertSource> experts,
    StudentFactory student) {

  public PipelineSetup {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(tasks, "tasks");
    Objects.requireNonNull(student, "student");
    experts = List.copyOf(experts);
    if (experts.isEmpty()) {
      throw new IllegalArgumentException("a run needs at least one expert");
    }
    Set<String> names = new HashSet<>();
    for (ExpertSource e : experts) {
      if (!names.add(e.name())) {
        throw new IllegalArgumentException("two experts are named " + e.name());
      }
    }
  }

  public ExpertSource primaryExpert() {
    return experts.getFirst();
  }

  public ExpertSource expert(String name) {
    return experts.stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no expert named " + name));
  }
}
