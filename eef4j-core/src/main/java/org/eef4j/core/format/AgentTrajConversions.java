package org.eef4j.core.format;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.trajectory.Producer;
import org.eef4j.core.trajectory.Role;
import org.eef4j.core.trajectory.Start;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingMessage;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;

/** Reads AgentTraj items (AgentGym's expert trajectories, e.g. AgentTraj-L) as trajectories. */
public final class AgentTrajConversions {

  /** AgentGym's conversations open with the instruction and the assistant's "Ok.". */
  public static final int PROMPT_MESSAGES = 2;

  private AgentTrajConversions() {}

  /**
   * An AgentTraj item as a finished trajectory of the given producer, its task id the item id ("webshop_6"). AgentTraj
   * files record no reward, so the caller says what it was (AgentTraj-L holds successful trajectories: 1.0).
   */
  public static Trajectory toTrajectory(TrainingExample item, Producer producer, double reward, double successReward) {
    List<TrainingMessage> m = item.messages();
    if (m.size() <= PROMPT_MESSAGES) {
      throw new IllegalArgumentException("AgentTraj item " + item.id() + " has no turns after its instruction");
    }
    List<Turn> turns = new ArrayList<>(m.size() - PROMPT_MESSAGES);
    for (int i = PROMPT_MESSAGES; i < m.size(); i++) {
      boolean expectUser = (i - PROMPT_MESSAGES) % 2 == 0;
      Role expected = expectUser ? Role.USER : Role.ASSISTANT;
      if (m.get(i).role() != expected) {
        throw new IllegalArgumentException(
            "AgentTraj item " + item.id() + " message " + i + " is " + m.get(i).role() + ", expected " + expected);
      }
      String text = m.get(i).content();
      turns.add(expectUser ? new Turn.Observation(text) : new Turn.Action(text, producer, true));
    }
    return new Trajectory(
        item.id(), item.id(), Start.INITIAL, turns, reward, reward >= successReward, Termination.DONE);
  }
}
