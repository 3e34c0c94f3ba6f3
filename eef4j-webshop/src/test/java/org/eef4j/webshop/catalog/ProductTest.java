package org.eef4j.webshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The search text: derived from the fields unless a product indexes a text of its own. */
class ProductTest {

  private static Product lamp(String searchText) {
    return new Product("B1", "Lamp", "Desk Lamp", "Bright.", List.of("LED", "Dimmable"), List.of(12.5), "$12.5",
        Map.of("color", List.of("red", "blue")), List.of(), "home", "lamps", "Home", searchText, null, List.of(),
        List.of());
  }

  @Test
  void withoutATextOfItsOwnTheOriginalRuleIsDerived() {
    Product lamp = lamp(null);
    assertThat(lamp.searchText()).isEqualTo("desk lamp bright. led color: red, blue");
    assertThat(lamp.keptSearchText()).isNull();
  }

  @Test
  void aGivenTextEqualToTheRuleIsNotKeptTwice() {
    Product given = lamp("desk lamp bright. led color: red, blue");
    assertThat(given.keptSearchText()).isNull();
    assertThat(given).isEqualTo(lamp(null));
  }

  @Test
  void aTextOfItsOwnIsKeptAndTheRecordRoundTrips() {
    Product own = lamp("something else entirely");
    assertThat(own.searchText()).isEqualTo("something else entirely");
    Product copy = new Product(own.asin(), own.name(), own.title(), own.description(), own.bulletPoints(),
        own.pricing(), own.price(), own.options(), own.attributes(), own.category(), own.query(),
        own.productCategory(), own.searchText(), own.instruction(), own.instructionAttributes(),
        own.humanInstructions());
    assertThat(copy).isEqualTo(own);
    assertThat(lamp(null)).isEqualTo(new Product("B1", "Lamp", "Desk Lamp", "Bright.", List.of("LED", "Dimmable"),
        List.of(12.5), "$12.5", Map.of("color", List.of("red", "blue")), List.of(), "home", "lamps", "Home",
        lamp(null).searchText(), null, List.of(), List.of()));
  }
}
