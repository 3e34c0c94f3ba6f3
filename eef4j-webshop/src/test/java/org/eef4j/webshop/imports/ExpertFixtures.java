package org.eef4j.webshop.imports;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.ReactDialect;
import org.eef4j.core.agent.ReactPrompt;
import org.eef4j.core.format.AgentTrajFormat;
import org.eef4j.core.format.EefReleaseFormat;
import org.eef4j.core.format.EtoConversation;
import org.eef4j.core.format.EtoConversationFormat;
import org.eef4j.core.format.EtoConversations;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.TrainingExample;
import org.eef4j.core.trajectory.TrainingExamples;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.core.trajectory.Turn;
import org.eef4j.webshop.agent.WebShopTasks;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.expert.FailureProfile;
import org.eef4j.webshop.expert.ScriptedExpert;

/**
 * Writes the importer fixtures in src/test/resources/experts: trajectories the scripted expert plays on WebShop-1k
 * training tasks, each file in the shape people bring (ETO's SFT items, AgentGym's AgentTraj, the EEF authors'
 * release), with one trajectory per file altered the way a foreign recording goes wrong, so that the replay check has
 * something to find. Run it again only to change the fixtures: {@code ExpertFixtures SHARED_DIR OUT_DIR}.
 */
public final class ExpertFixtures {

  static final String INSTRUCTION = "You are web shopping. Reply with \"Thought: ...\" and \"Action: ...\".";
  /** A made-up one-shot example, shaped as ETO's (its observations start with "Observation:"). */
  static final List<ChatMessage> EXAMPLE = List.of(
      ChatMessage.user("Observation:\nWebShop [SEP] Instruction: [SEP] i want a red mug [SEP] Search"),
      ChatMessage.assistant("Thought: I should search.\nAction: search[red mug]"),
      ChatMessage.user("Observation:\nThank you for shopping with us! [SEP] Your score (min 0.0, max 1.0) [SEP] 1.0"),
      ChatMessage.assistant("Thought: Done.\nAction: click[Buy Now]"));

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0], "data", "webshop-1k");
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    try (WebShop shop = WebShop.load(data)) {
      List<String> tasks = WebShopTasks.agentGym(data).train().subList(0, 40);
      List<Trajectory> eto = new ScriptedExpert(shop, new ScriptedExpert.Config(FailureProfile.GPT4, 3, 10))
          .trajectories(tasks);
      List<Trajectory> wins = eto.stream().filter(Trajectory::success).limit(3).toList();
      List<Trajectory> losses = eto.stream().filter(t -> !t.success() && t.actionCount() >= 4).limit(2).toList();

      // ETO's SFT items: successes, ids the goal index; the third's search results recorded on another catalogue
      List<EtoConversation> etoItems = new ArrayList<>();
      ReactPrompt prompt = new ReactPrompt(INSTRUCTION, List.of());
      for (int i = 0; i < 3; i++) {
        Trajectory t = i == 2 ? alterObservation(wins.get(i), 1) : wins.get(i);
        etoItems.add(EtoConversations.toEto(withoutLastObservation(t), prompt.trainingPrefix(), "webshop_"));
      }
      EtoConversationFormat.write(out.resolve("eto-sft.json"), etoItems);

      // AgentGym's AgentTraj in its own dialect; the third item's id names the next goal, not the one played
      List<Trajectory> ag = new ScriptedExpert(shop,
          new ScriptedExpert.Config(FailureProfile.GPT4, 3, 10, ReactDialect.AGENTGYM)).trajectories(
              wins.stream().map(Trajectory::taskId).toList());
      ReactPrompt agPrompt = new ReactPrompt(INSTRUCTION, List.of(), ReactDialect.AGENTGYM);
      List<TrainingExample> agItems = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Trajectory t = withoutLastObservation(ag.get(i));
        TrainingExample e = TrainingExamples.of(t, agPrompt.trainingPrefix());
        String next = "webshop_" + (Integer.parseInt(t.taskId().substring("webshop_".length())) + 1);
        agItems.add(new TrainingExample(i == 2 ? next : t.taskId(), e.messages()));
      }
      AgentTrajFormat.write(out.resolve("agentgym-traj.json"), agItems);

      // the EEF release: gpt-4 runs (a success, a failure, a failure recorded as a success) and a gpt-3.5 failure
      List<ChatMessage> prefix = new ArrayList<>(prompt.trainingPrefix());
      prefix.addAll(EXAMPLE);
      List<EefReleaseFormat.Item> eef = new ArrayList<>();
      eef.add(release(wins.get(0), prefix, wins.get(0).reward(), "gpt-4-0613"));
      eef.add(release(losses.get(0), prefix, losses.get(0).reward(), "gpt-4-0613"));
      eef.add(release(losses.get(1), prefix, 1.0, "gpt-4-0613"));
      eef.add(release(losses.get(1), prefix, losses.get(1).reward(), "gpt-3.5-turbo-0613"));
      EefReleaseFormat.write(out.resolve("eef-release.json"), eef);
    }
    // the files people bring carry no eef4j format tag
    for (String f : List.of("eto-sft.json", "agentgym-traj.json")) {
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      var items = (com.fasterxml.jackson.databind.node.ArrayNode) json.readTree(out.resolve(f).toFile());
      items.forEach(item -> ((com.fasterxml.jackson.databind.node.ObjectNode) item).remove("eef4j"));
      json.writerWithDefaultPrettyPrinter().writeValue(out.resolve(f).toFile(), items);
    }
  }

  static EefReleaseFormat.Item release(Trajectory t, List<ChatMessage> prefix, double reward, String llm) {
    List<ChatMessage> chat = TrainingExamples.chat(withoutLastObservation(t), prefix);
    String question = t.firstObservation().split(" \\[SEP\\] ")[2];
    return new EefReleaseFormat.Item(t.taskId(), question, chat, reward, llm, "react");
  }

  static Trajectory withoutLastObservation(Trajectory t) {
    List<Turn> turns = t.turns();
    return turns.getLast() instanceof Turn.Observation && turns.size() > 1
        ? t.withTurns(turns.subList(0, turns.size() - 1)) : t;
  }

  /** The observation after action {@code step} with its second product title changed, as another catalogue shows it. */
  static Trajectory alterObservation(Trajectory t, int step) {
    List<Turn> turns = new ArrayList<>(t.turns());
    String text = turns.get(2 * step).text();
    String[] parts = text.split(" \\[SEP\\] ");
    int title = 0;
    for (int i = 0, asins = 0; i < parts.length; i++) {
      if (parts[i].matches("[A-Z0-9]{10}") && ++asins == 2) {
        title = i + 1;
        break;
      }
    }
    parts[title] = parts[title] + " (2-pack)";
    turns.set(2 * step, new Turn.Observation(String.join(" [SEP] ", parts)));
    return t.withTurns(turns);
  }

  private ExpertFixtures() {}
}
