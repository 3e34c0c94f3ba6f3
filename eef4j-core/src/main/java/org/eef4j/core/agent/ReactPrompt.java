package org.eef4j.core.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.Turn;

/**
 * The ReAct conversation of a prompt family ({@link ReactDialect}); by default the one ETO builds for WebShop (ETO:eval_agent/prompt prompt_with_icl with icl_format
 * "conversation", one example): the instruction as a user message, the assistant's "OK", then the in-context example's
 * messages as they are, then the task. The first task message is the raw observation; every later observation is
 * prefixed with "Observation:\n" (ETO:eval_agent/envs/webshop_env.py).
 *
 * <p>Training conversations (ETO's SFT data, construct_preference.py's "instruction_part") carry the instruction and
 * "OK" but no in-context example; {@link #trainingPrefix()} is that.
 *
 * @param instruction the instruction text (ETO: prompts/webshop_inst.txt, as read, no trailing newline added)
 * @param example the in-context example's messages, alternating user/assistant starting with user; empty for none
 * @param dialect the conventions: acknowledgement, observation prefix, action parsing, error observations
 */
public record ReactPrompt(String instruction, List<ChatMessage> example, ReactDialect dialect) {

  /** ETO's answer to a reply without "Action: "; the step still counts. (The dialect's: {@link ReactDialect}.) */
  public static final String INVALID_FORMAT = "Observation: Invalid format. The input must contains 'Action: '";
  /** ETO's answer to an action the environment refuses outright. */
  public static final String INVALID_ACTION = "Observation: Invalid action!";
  /** The prefix ETO puts before every observation after the first ({@link ReactDialect#ETO}). */
  public static final String OBSERVATION_PREFIX = "Observation:\n";
  /** ETO's acknowledgement of the instruction ({@link ReactDialect#ETO}). */
  public static final String ACKNOWLEDGEMENT = "OK";

  public ReactPrompt {
    Objects.requireNonNull(instruction, "instruction");
    Objects.requireNonNull(dialect, "dialect");
    example = List.copyOf(example);
    for (int i = 0; i < example.size(); i++) {
      Role expected = i % 2 == 0 ? Role.USER : Role.ASSISTANT;
      if (example.get(i).role() != expected) {
        throw new IllegalArgumentException(
            "in-context example message " + i + " should be " + expected + ", is " + example.get(i).role());
      }
    }
    if (example.size() % 2 != 0) {
      throw new IllegalArgumentException("the in-context example must end with an assistant message");
    }
  }

  /** An ETO-dialect prompt. */
  public ReactPrompt(String instruction, List<ChatMessage> example) {
    this(instruction, example, ReactDialect.ETO);
  }

  /**
   * Reads ETO's prompt files: the instruction text and an ICL file holding a JSON list of examples, each a list of
   * {role, content} messages. Takes the first example when {@code withExample}, as ETO does (icl_num 1).
   */
  public static ReactPrompt loadEto(Path instructionFile, Path iclFile, boolean withExample) {
    try {
      String instruction = Files.readString(instructionFile, StandardCharsets.UTF_8);
      if (!withExample) {
        return new ReactPrompt(instruction, List.of());
      }
      JsonNode root = new ObjectMapper().readTree(iclFile.toFile());
      if (root == null || !root.isArray() || root.isEmpty() || !root.get(0).isArray()) {
        throw new IllegalArgumentException(iclFile + ": expected a JSON list of examples, each a list of messages");
      }
      List<ChatMessage> messages = new ArrayList<>();
      JsonNode first = root.get(0);
      for (int i = 0; i < first.size(); i++) {
        JsonNode m = first.get(i);
        String role = m.path("role").asText("");
        if (!m.path("content").isTextual()) {
          throw new IllegalArgumentException(iclFile + ": example 0 message " + i + " has no text content");
        }
        messages.add(
            new ChatMessage(
                switch (role) {
                  case "user" -> Role.USER;
                  case "assistant" -> Role.ASSISTANT;
                  default ->
                      throw new IllegalArgumentException(
                          iclFile + ": example 0 message " + i + " has role '" + role + "', not user/assistant");
                },
                m.get("content").asText()));
      }
      return new ReactPrompt(instruction, messages);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ETO prompt " + instructionFile + " / " + iclFile, e);
    }
  }

  /**
   * An AgentGym-dialect prompt whose instruction is the first message of an AgentTraj conversation (AgentGym's
   * conversations start with the instruction and "Ok.", and use no in-context example).
   */
  public static ReactPrompt fromAgentTraj(org.eef4j.core.trajectory.TrainingExample item) {
    if (item.messages().isEmpty() || item.messages().getFirst().role() != Role.USER) {
      throw new IllegalArgumentException("AgentTraj item " + item.id() + " does not start with the instruction");
    }
    return new ReactPrompt(item.messages().getFirst().content(), List.of(), ReactDialect.AGENTGYM);
  }

  /** What the policy reads before the task at rollout time: instruction, "OK", and the in-context example. */
  public List<ChatMessage> inferencePrefix() {
    List<ChatMessage> out = new ArrayList<>(2 + example.size());
    out.addAll(trainingPrefix());
    out.addAll(example);
    return out;
  }

  /** What training conversations start with: the instruction and the acknowledgement, as in ETO's SFT data. */
  public List<ChatMessage> trainingPrefix() {
    return List.of(ChatMessage.user(instruction), ChatMessage.assistant(dialect.acknowledgement()));
  }

  /** The first task message: the raw observation. */
  public String firstTaskMessage(String observation) {
    return observation;
  }

  /** A later observation as the policy reads it. */
  public String observationMessage(String observation) {
    return dialect.observationPrefix() + observation;
  }

  /** The action of a reply by the dialect's rule, or empty when the reply is malformed. */
  public Optional<String> parseAction(String reply) {
    return dialect.parseAction(reply);
  }

  /**
   * The conversation the policy continues after the given episode turns (which must end with an observation).
   *
   * @param turns the episode so far, from the first observation
   */
  public List<ChatMessage> context(List<Turn> turns, ContextWindow window) {
    if (turns.isEmpty() || !(turns.getLast() instanceof Turn.Observation)) {
      throw new IllegalArgumentException("the policy continues a conversation that ends with an observation");
    }
    List<ChatMessage> out = new ArrayList<>(inferencePrefix());
    out.add(ChatMessage.user(turns.getFirst().text()));
    int pairs = (turns.size() - 1) / 2;
    int from = window.keepsAll() ? 0 : Math.max(0, pairs - window.lastTurns());
    for (int i = window.olderActions() ? 1 : 1 + 2 * from; i < turns.size(); i++) {
      Turn t = turns.get(i);
      boolean hidden = i < 1 + 2 * from;
      out.add(
          switch (t) {
            case Turn.Observation o -> ChatMessage.user(hidden ? ContextWindow.HIDDEN_OBSERVATION : o.text());
            case Turn.Action a -> new ChatMessage(Role.ASSISTANT, a.text(), a.tokens());
          });
    }
    return out;
  }
}
