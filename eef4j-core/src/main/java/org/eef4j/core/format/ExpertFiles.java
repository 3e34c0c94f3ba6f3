package org.eef4j.core.format;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.Trajectory;

/**
 * Expert trajectories people already have, read as trajectories of the expert: ETO's released SFT conversations, AgentGym's
 * AgentTraj, and the EEF authors' released WebShop runs. Reading only parses; whether a trajectory is one this
 * environment can replay is for {@link org.eef4j.core.agent.ReplayCheck} to say.
 */
public final class ExpertFiles {

  private ExpertFiles() {}

  /** The shapes of trajectory files people bring. */
  public enum Shape {
    /** The EEF authors' release ({@link EefReleaseFormat}): ETO's ReAct dialect, failures included, with rewards. */
    EEF,
    /** ETO's SFT files ({@link EtoConversationFormat}): ETO's dialect, ids are goal indices, rewards where present. */
    ETO,
    /** AgentGym's AgentTraj ({@link AgentTrajFormat}): AgentGym's dialect, ids are task ids, no rewards. */
    AGENTGYM;

    public static Shape parse(String name) {
      for (Shape s : values()) {
        if (s.name().toLowerCase(Locale.ROOT).equals(name)) {
          return s;
        }
      }
      throw new IllegalArgumentException("'" + name + "' is not one of eef, eto, agentgym");
    }

    /** The ReAct dialect the shape's conversations are written in, ETO's as the environment's files lay it out. */
    public ReactDialect dialect(Options options) {
      return this == AGENTGYM ? ReactDialect.AGENTGYM : options.etoDialect();
    }
  }

  /**
   * How to read a file.
   *
   * @param taskIdPrefix what makes an item's id a task id where the id lacks it (WebShop: "webshop_", as ETO's ids are
   *     bare goal indices)
   * @param llmName an EEF file's runs of this model only, or null for a file that holds one model's runs
   * @param promptMessages how many messages precede the episode, or -1 to find the task's first observation: the first
   *     user message after the instruction and its acknowledgement that is not an in-context example's observation
   *     (ETO's example observations start with "Observation")
   * @param successReward the reward that counts as success (WebShop: 1)
   * @param etoDialect how ETO wrote this environment's conversations (ETO's and the EEF release's files):
   *     {@link ReactDialect#ETO} for WebShop, {@link ReactDialect#ETO_SAME_LINE} for SciWorld, whose observations
   *     follow "Observation: " on the same line
   */
  public record Options(String taskIdPrefix, String llmName, int promptMessages, double successReward,
      ReactDialect etoDialect) {
    public Options {
      Objects.requireNonNull(taskIdPrefix, "taskIdPrefix");
      Objects.requireNonNull(etoDialect, "etoDialect");
      if (promptMessages < -1) {
        throw new IllegalArgumentException("promptMessages must be >= 0, or -1 to find it, got " + promptMessages);
      }
      if (etoDialect == ReactDialect.AGENTGYM) {
        throw new IllegalArgumentException("ETO's files are written in one of ETO's dialects, not AgentGym's");
      }
    }

    /** Options for an environment whose ETO files follow {@link ReactDialect#ETO} (WebShop's layout). */
    public Options(String taskIdPrefix, String llmName, int promptMessages, double successReward) {
      this(taskIdPrefix, llmName, promptMessages, successReward, ReactDialect.ETO);
    }

    public static Options webShop() {
      return new Options("webshop_", null, -1, 1.0);
    }

    public Options withLlmName(String name) {
      return new Options(taskIdPrefix, name, promptMessages, successReward, etoDialect);
    }

    public Options withPromptMessages(int n) {
      return new Options(taskIdPrefix, llmName, n, successReward, etoDialect);
    }
  }

  /**
   * What a file held.
   *
   * @param trajectories one per item, each from its task's initial state, its id the item's, in the shape's dialect
   * @param rewardsKnown whether the file recorded the episodes' rewards
   * @param dialect the dialect the trajectories' turns are written in
   */
  public record Read(List<Trajectory> trajectories, boolean rewardsKnown, ReactDialect dialect) {
    public Read {
      trajectories = List.copyOf(trajectories);
    }
  }

  public static Read read(Shape shape, Path file, Options options) {
    return switch (shape) {
      case EEF -> readEef(file, options);
      case ETO -> readEto(file, options);
      case AGENTGYM -> readAgentGym(file, options);
    };
  }

  private static Read readEef(Path file, Options o) {
    List<EefReleaseFormat.Located> items = EefReleaseFormat.read(file);
    Set<String> models = new LinkedHashSet<>();
    items.forEach(l -> models.add(l.item().llmName()));
    if (o.llmName() == null && models.size() > 1) {
      throw new FormatException(file, 0, "holds runs of several models (" + String.join(", ", models)
          + "): name the one this expert is with llm_name");
    }
    if (o.llmName() != null && !models.contains(o.llmName())) {
      throw new FormatException(file, 0, "holds no runs of llm_name '" + o.llmName() + "' (it holds: "
          + String.join(", ", models) + ")");
    }
    List<Trajectory> out = new ArrayList<>();
    for (EefReleaseFormat.Located l : items) {
      EefReleaseFormat.Item item = l.item();
      if (o.llmName() != null && !o.llmName().equals(item.llmName())) {
        continue;
      }
      try {
        EtoConversation c = new EtoConversation(item.id(), item.conversations(), item.reward());
        out.add(episode(c, o, promptLength(item.conversations(), o)));
      } catch (IllegalArgumentException e) {
        throw new FormatException(file, l.line(), e.getMessage(), e);
      }
    }
    return new Read(out, true, Shape.EEF.dialect(o));
  }

  private static Read readEto(Path file, Options o) {
    List<EtoConversation> items = EtoConversationFormat.read(file);
    List<Trajectory> out = new ArrayList<>(items.size());
    boolean rewards = true;
    // ETO's files keep no line per item once parsed; the item's id then says where
    for (EtoConversation c : items) {
      rewards &= c.reward() != null;
      try {
        out.add(episode(c, o, promptLength(c.conversations(), o)));
      } catch (IllegalArgumentException e) {
        throw new FormatException(file, 0, "item " + c.id() + ": " + e.getMessage(), e);
      }
    }
    return new Read(out, rewards && !items.isEmpty(), Shape.ETO.dialect(o));
  }

  private static Read readAgentGym(Path file, Options o) {
    List<TrainingExample> items = AgentTrajFormat.read(file);
    List<Trajectory> out = new ArrayList<>(items.size());
    int prompt = o.promptMessages() < 0 ? AgentTrajConversions.PROMPT_MESSAGES : o.promptMessages();
    for (TrainingExample item : items) {
      try {
        List<ChatMessage> chat = item.messages().stream().map(m -> new ChatMessage(m.role(), m.content())).toList();
        // AgentTraj records no reward: 0 until the replay gives the environment's
        out.add(episode(new EtoConversation(item.id(), chat, 0.0), o, prompt));
      } catch (IllegalArgumentException e) {
        throw new FormatException(file, 0, "item " + item.id() + ": " + e.getMessage(), e);
      }
    }
    return new Read(out, false, Shape.AGENTGYM.dialect(o));
  }

  /** The item's episode as a trajectory whose id is the item's and whose task is the id made a task id. */
  private static Trajectory episode(EtoConversation c, Options o, int promptMessages) {
    String task = c.id().startsWith(o.taskIdPrefix()) ? c.id() : o.taskIdPrefix() + c.id();
    Trajectory t = EtoConversations.fromEto(
        new EtoConversation(task, c.conversations(), c.reward()), promptMessages, Producer.EXPERT, o.successReward(),
        "");
    return t.withId(c.id());
  }

  /** The number of prompt messages before the episode: the option's, or found as {@link Options} says. */
  static int promptLength(List<ChatMessage> messages, Options o) {
    if (o.promptMessages() >= 0) {
      return o.promptMessages();
    }
    int first = 0;
    while (first < messages.size() && messages.get(first).role() == Role.SYSTEM) {
      first++;
    }
    for (int i = first + 2; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      if (m.role() == Role.USER && !m.content().startsWith("Observation")) {
        return i;
      }
    }
    throw new IllegalArgumentException("cannot tell where the episode starts (no user message after the instruction"
        + " that is not an example's observation): give the prompt's length with prompt_messages");
  }
}
