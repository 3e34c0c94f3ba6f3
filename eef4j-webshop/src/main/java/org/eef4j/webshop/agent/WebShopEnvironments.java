package org.eef4j.webshop.agent;

import java.util.Objects;
import org.eef4j.core.agent.ActionKinds;
import org.eef4j.core.agent.EnvironmentFactory;
import org.eef4j.webshop.env.WebShop;
import org.eef4j.webshop.view.WebShopActionKinds;

/**
 * Opens {@link WebShopEnvironment}s on one shared {@link WebShop}. Opening is cheap (a session is a few objects; the
 * catalogue, index and goals are shared and immutable), so the runner may open one per episode from many threads.
 *
 * @param shop the shop every environment serves
 * @param showAttributes whether item pages carry the {@code Attributes} button (off in ETO and AgentGym)
 */
public record WebShopEnvironments(WebShop shop, boolean showAttributes) implements EnvironmentFactory {

  public WebShopEnvironments {
    Objects.requireNonNull(shop, "shop");
  }

  /** ETO's and AgentGym's pages: no {@code Attributes} button. */
  public WebShopEnvironments(WebShop shop) {
    this(shop, false);
  }

  @Override
  public WebShopEnvironment open() {
    return new WebShopEnvironment(shop, showAttributes);
  }

  @Override
  public ActionKinds actionKinds() {
    return WebShopActionKinds.INSTANCE;
  }
}
