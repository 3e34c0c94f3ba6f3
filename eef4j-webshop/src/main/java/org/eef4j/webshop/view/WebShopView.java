package org.eef4j.webshop.view;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eef4j.core.agent.StudentView;

/**
 * The student's view of WebShop pages: how it names what it clicks ({@link ClickNames}), the no-learning control's
 * rule under its aids ({@link WebShopControlRule}), and the copying drills a student from scratch warms up on
 * ({@link WebShopCopyDrills}).
 *
 * @param naming which renamings apply; {@link ClickNames.Naming#AS_WRITTEN} for none
 */
public record WebShopView(ClickNames.Naming naming) implements StudentView {

  /** Pages and clicks as WebShop writes them; the control rule still applies. */
  public static final WebShopView AS_WRITTEN = new WebShopView(ClickNames.Naming.AS_WRITTEN);

  private static final String ACTION = "Action:";

  public WebShopView {
    Objects.requireNonNull(naming, "naming");
  }

  @Override
  public boolean renames() {
    return naming.renames();
  }

  /** For run records: e.g. ", products by position, options named". */
  @Override
  public String describe() {
    return (naming.productsByPosition() ? ", products by position" : "")
        + switch (naming.options()) {
          case VALUES -> "";
          case NAMED -> ", options named";
          case PREFIXED -> ", options named after \"option\"";
          case GIVEN -> ", options by group with the instruction's values";
        }
        + (naming.chosenShown() ? ", chosen options shown" : "");
  }

  @Override
  public Reader reader() {
    return new PageReader();
  }

  @Override
  public Optional<ControlRule> controlRule() {
    return Optional.of(WebShopControlRule.INSTANCE);
  }

  @Override
  public Optional<CopyDrills> copyDrills() {
    return Optional.of(WebShopCopyDrills.INSTANCE);
  }

  /** Reads a conversation in order: an assistant turn answers the last page read. */
  private final class PageReader implements Reader {
    private ClickNames.Page page = ClickNames.Page.NONE;
    /** Option values clicked since the product opened: the actions are read as the environment names them. */
    private List<String> chosen = List.of();
    /** With options given: the values the instruction asks for, with their groups. */
    private Map<String, String> asked = Map.of();

    @Override
    public String observation(String text) {
      if (naming.options() == ClickNames.Options.GIVEN && asked.isEmpty()) {
        asked = ClickNames.askedValues(ProductPageFields.instructionIn(text));
      }
      page = naming.read(text, chosen);
      return page.text();
    }

    @Override
    public String reply(String turn, String written) {
      if (naming.chosenShown() || naming.options() == ClickNames.Options.GIVEN) {
        chosen = ClickNames.chosenAfter(chosen, actionPart(turn));
      }
      return ClickNames.nameAskedClicks(page.toStudent(written), asked); // asked is empty unless options are given
    }

    @Override
    public ClickNames.Page page() {
      return page;
    }
  }

  /** From a turn's last "Action:" on (the whole turn if it has none). */
  private static String actionPart(String text) {
    int at = text.lastIndexOf(ACTION);
    return at < 0 ? text : text.substring(at);
  }
}
