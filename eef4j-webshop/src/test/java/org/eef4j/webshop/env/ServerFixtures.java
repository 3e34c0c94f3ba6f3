package org.eef4j.webshop.env;

/** The hand-made shop, for tests of other packages. */
public final class ServerFixtures {
  private ServerFixtures() {}

  public static final String INSTRUCTION = HandMade.ICL_INSTRUCTION;

  public static WebShop shop() {
    return HandMade.shop();
  }
}
