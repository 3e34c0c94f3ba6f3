package org.eef4j.sciworld.agent;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eef4j.core.agent.ActionKinds;

/**
 * SciWorld's kinds of action for the skill-usage report, by the verbs of ETO's SciWorld instruction
 * (prompts/sciworld_inst.txt): where the agent goes, what it looks at, what it handles, what it does to devices,
 * which object it names as the task's ("focus on", which decides many tasks), and its waiting; any other verb is
 * {@code other}, a reply without an action {@code no action}. Classified by the verb alone: whether the simulator
 * knew the action shows in its answer, which the report's counting does not pass.
 */
public final class SciWorldActionKinds implements ActionKinds {

  public static final SciWorldActionKinds INSTANCE = new SciWorldActionKinds();

  private static final List<String> NAMES = List.of("teleport", "look", "inspect", "pick up", "move", "pour", "mix",
      "use", "device", "focus", "wait", "other", "no action");

  private SciWorldActionKinds() {}

  @Override
  public List<String> names() {
    return NAMES;
  }

  @Override
  public String of(Optional<String> action, String observation) {
    if (action.isEmpty()) return "no action";
    String a = action.get().strip().toLowerCase(Locale.ROOT);
    if (a.startsWith("teleport to ") || a.startsWith("go to ")) return "teleport";
    if (a.equals("look around")) return "look";
    if (a.startsWith("look at ") || a.startsWith("look in ") || a.startsWith("examine ") || a.startsWith("read ")
        || a.equals("inventory") || a.equals("task")) {
      return "inspect";
    }
    if (a.startsWith("pick up ")) return "pick up";
    if (a.startsWith("move ") || a.startsWith("put down ")) return "move";
    if (a.startsWith("pour ") || a.startsWith("dunk ")) return "pour";
    if (a.startsWith("mix ")) return "mix";
    if (a.startsWith("use ")) return "use";
    if (a.startsWith("activate ") || a.startsWith("deactivate ") || a.startsWith("open ") || a.startsWith("close ")
        || a.startsWith("connect ") || a.startsWith("disconnect ")) {
      return "device";
    }
    if (a.startsWith("focus on ")) return "focus";
    if (a.equals("wait") || a.equals("wait1") || a.startsWith("wait ")) return "wait";
    return "other";
  }
}
