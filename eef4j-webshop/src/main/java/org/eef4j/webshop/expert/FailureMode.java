package org.eef4j.webshop.expert;

/**
 * The ways the scripted expert goes wrong, each a habit the EEF paper (Lan et al. 2025, section 3 and its WebShop case
 * studies) reports of GPT-4 as a WebShop expert. {@link FailureProfile} gives each its probability; the table there says
 * when each can trigger.
 */
public enum FailureMode {
  /** Clicks the first search result and buys it at once: no options, no look at the page. */
  PREMATURE_PURCHASE,
  /** The target is past page 1 of the results, and the expert never presses "Next >": it buys a page-1 product. */
  GIVE_UP_PAGING,
  /** The results page shows the target, and the expert opens and buys a similar-looking other product. */
  WRONG_PRODUCT,
  /** Opens a similar-looking other product first, then goes back with "< Prev": a recovery, which costs two steps. */
  DETOUR,
  /** Clicks a wrong value for an option the instruction names (one draw per option). */
  WRONG_OPTION,
  /** Forgets to click an option the instruction names (one draw per option). */
  MISSING_OPTION,
  /** On the right product with its options chosen, keeps re-reading Description, Features and Reviews; never buys. */
  STALL
}
