package org.eef4j.student;

import org.eef4j.webshop.view.ClickNames;
import org.eef4j.webshop.view.WebShopView;

/** WebShop pages and views for the student's tests: the student reads them through WebShop's view of its pages. */
final class WebShopPages {

  private WebShopPages() {}

  /** Products by position and options by their group. */
  static final ClickNames.Naming BOTH = new ClickNames.Naming(true, ClickNames.Options.NAMED);

  static final String RESULTS = "Observation:\nInstruction: [SEP] Find me running shoes with color: navy, and size: 12 [SEP] Back to Search"
      + " [SEP] Page 1 (Total results: 50) [SEP] Next > [SEP] B03FVS63PI [SEP] Greystride Suede Running Shoes [SEP] $56.75"
      + " [SEP] B09O8T994V [SEP] Oakhurst Knit Running Shoes [SEP] $84.49 [SEP] B039IBYWWW [SEP] Kestrel Running Shoes"
      + " [SEP] $10.0 to $77.83";

  static final String ITEM = "Observation:\nInstruction: [SEP] Find me running shoes with color: navy, and size: 12 [SEP] Back to Search"
      + " [SEP] < Prev [SEP] color [SEP] navy [SEP] black [SEP] size [SEP] 12 [SEP] Greystride Suede Running Shoes"
      + " [SEP] Price: $56.75 [SEP] Rating: N.A. [SEP] Description [SEP] Features [SEP] Reviews [SEP] Buy Now";

  static WebShopView view(ClickNames.Naming naming) {
    return new WebShopView(naming);
  }
}
