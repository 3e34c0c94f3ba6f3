package org.eef4j.sciworld.expert;

import java.util.random.RandomGenerator;

/**
 * The expert's replies in ETO's ReAct format, {@code "Thought: …\nAction: …"}, with a thought per kind of action in
 * the manner of ETO's SciWorld example (../shared/data/eto/prompts/sciworld_icl.json); a few phrasings each, picked by
 * the task's own generator.
 */
final class Thoughts {

  private final RandomGenerator random;

  Thoughts(RandomGenerator random) {
    this.random = random;
  }

  private String pick(String... phrasings) {
    return phrasings[random.nextInt(phrasings.length)];
  }

  private static String reply(String thought, String action) {
    return "Thought: " + thought + "\nAction: " + action;
  }

  String of(String action) {
    String thought;
    if (action.startsWith("teleport to ")) {
      String place = action.substring("teleport to ".length());
      thought = pick("I should go to the " + place + " to find what I need.",
          "What I need next is likely in the " + place + ", so I will teleport there.");
    } else if (action.startsWith("focus on ")) {
      thought = pick("This is the object the task is about, so I should focus on it.",
          "I will signal my intent on the task object now.");
    } else if (action.startsWith("pick up ")) {
      thought = pick("I need this for the experiment, so I will pick it up.", "I should carry it with me.");
    } else if (action.startsWith("move ")) {
      thought = pick("I should put it where the experiment needs it.", "Next I will move it into place.");
    } else if (action.startsWith("pour ")) {
      thought = pick("I will pour it into the container.", "The substances need to be combined, so I will pour.");
    } else if (action.startsWith("use thermometer")) {
      thought = pick("I should measure the temperature now.", "I will check the temperature with the thermometer.");
    } else if (action.startsWith("look") || action.startsWith("examine") || action.startsWith("read")) {
      thought = pick("I should look at my surroundings to see what is here.", "Let me observe what is here first.");
    } else if (action.startsWith("activate ") || action.startsWith("deactivate ")) {
      thought = pick("I need to switch this device.", "The experiment needs this device switched.");
    } else if (action.startsWith("wait")) {
      thought = pick("I should wait for the process to progress.", "Some time needs to pass.");
    } else {
      thought = pick("The next step of the experiment is to " + action + ".", "I will " + action + " next.");
    }
    return reply(thought, action);
  }

  String again(String action) {
    return reply(pick("I am not sure what to do next; I will check again.", "Let me look once more."), action);
  }

  String waiting() {
    return reply(pick("I believe the task is complete; I will wait.", "I have done what the task asks. I will wait."),
        "wait1");
  }
}
