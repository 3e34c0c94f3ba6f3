package org.eef4j.toyshop;

import java.util.ArrayList;
import java.util.List;
import org.eef4j.core.agent.GenerationRequest;
import org.eef4j.core.agent.Policy;
import org.eef4j.core.agent.Reply;
import org.eef4j.core.agent.SamplingParams;
import org.eef4j.core.trajectory.ChatMessage;
import org.eef4j.core.trajectory.Role;

/**
 * A scripted expert for {@link ToyShop} that knows the right plan but slips on hard tasks, like GPT-4 on WebShop: it
 * searches, opens the asked-for item when the first page lists it, pages with "Next &gt;" when it does not, and on the
 * second page opens the item in slot {@code slip} without reading the page. On a wrong item's page it goes back with
 * "&lt; Prev" once, then repeats the same slip and buys (so it fails on hard tasks except by luck). Its failed
 * trajectories hold the right first moves (beneficial), a harmful click, and a recovery ("&lt; Prev"): what EEF mines.
 *
 * @param slip which slot (0..2) of the second page the expert opens
 */
public record ToyExpert(int slip) implements Policy {

  public ToyExpert {
    if (slip < 0 || slip > 2) {
      throw new IllegalArgumentException("slip is a slot 0..2, got " + slip);
    }
  }

  @Override
  public List<Reply> generate(List<GenerationRequest> requests, SamplingParams sampling) {
    List<Reply> out = new ArrayList<>(requests.size());
    for (GenerationRequest r : requests) {
      ChatMessage last = r.messages().getLast();
      boolean wentBack =
          r.messages().stream().anyMatch(m -> m.role() == Role.ASSISTANT && m.content().endsWith("click[< prev]"));
      String text = act(ToyPage.parse(last.content()), wentBack);
      out.add(new Reply.Text(text, 0, ToyText.tokens(text)));
    }
    return out;
  }

  private String act(ToyPage page, boolean wentBack) {
    return switch (page.kind()) {
      case SEARCH -> reply("I should search for the item.", "search[" + page.wanted() + "]");
      case RESULTS -> {
        if (page.resultPage() != 1) {
          yield reply("This one looks close enough.", "click[" + page.items().get(slip)[0] + "]");
        }
        var wanted = page.wantedItem();
        if (wanted.isPresent()) {
          yield reply("This is the item I need.", "click[" + wanted.get() + "]");
        }
        yield reply("The item is not on this page; I will look at the next one.", "click[next >]");
      }
      case ITEM ->
          page.itemName().equals(page.wanted()) || wentBack
              ? reply("I will buy it.", "click[buy now]")
              : reply("This is not quite it; I will go back.", "click[< prev]");
      case OTHER -> reply("I will start over.", "click[back to search]");
    };
  }

  static String reply(String thought, String action) {
    return "Thought: " + thought + "\nAction: " + action;
  }
}
