package org.eef4j.webshop.view;

/** What kind of WebShop action an agent took, for the skill-usage report ({@link WebShopActionKinds}). */
public enum Skill {
  SEARCH,
  /** "Next >" on a results page. */
  NEXT_PAGE,
  /** "< Prev": the previous results page, or back from an item to its results. */
  PREV,
  BACK_TO_SEARCH,
  /**
   * Opening the first product a results page lists. (Eval files written before {@link #LOWER_ITEM} existed count every
   * product opened here.)
   */
  ITEM,
  /**
   * Opening a product listed below the first: choosing among the results rather than taking the top one, which the
   * tasks whose target is not the first result need.
   */
  LOWER_ITEM,
  /** Choosing an option value on a product page. */
  OPTION,
  /** Description, Features, Reviews or Attributes. */
  DETAILS,
  BUY,
  /** A click on something the page did not offer, as far as the page text tells. */
  OTHER_CLICK,
  /** A reply without a parsable action. */
  INVALID_FORMAT
}
