package org.eef4j.webshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original downloads (items_shuffle, items_ins_v2, items_human_ins) processed as WebShop's load_products does. */
class CatalogOriginalFilesTest {

  @TempDir Path dir;

  static final String SHUFFLE = """
      [
        {"asin": "B0SHIRT001", "name": "Classic Fit Tee", "full_description": "Soft cotton.",
         "small_description": ["Machine wash", "Short sleeve"], "pricing": "$10.99 - $15.99",
         "images": ["img1.jpg"], "category": "fashion", "query": " Men's T-Shirts ",
         "product_category": "Clothing › Men › Shirts", "brand": "Acme", "seller_id": "x",
         "customization_options": {"Color": [{"value": "Navy/White", "image": "n.jpg"}, {"value": " Black ", "image": null}],
                                   "Size": [{"value": "X-Large"}], "Style": null},
         "average_rating": "", "page": 3},
        {"asin": "B0MUG00002", "name": "Big Mug", "full_description": "Holds coffee.",
         "small_description": "Dishwasher safe", "pricing": "$1,299.5",
         "images": ["m.jpg"], "category": "kitchen", "query": "mugs", "product_category": "Home › Kitchen",
         "customization_options": "", "average_rating": "", "page": 1},
        {"asin": "B0NOPRICE3", "name": "Free Thing", "full_description": "", "small_description": [],
         "pricing": "", "images": ["f.jpg"], "category": "misc", "query": "things", "product_category": "Misc",
         "customization_options": {}, "average_rating": "", "page": 1},
        {"asin": "nan", "name": "skipped"},
        {"asin": "B0TOOLONG123", "name": "skipped"},
        {"asin": "B0MUG00002", "name": "a duplicate, skipped"}
      ]
      """;

  static final String INS = """
      {
        "B0SHIRT001": {"attributes": ["machine wash", "short sleeve"], "instruction": "Find me a machine wash tee",
                       "instruction_attributes": ["machine wash"]},
        "B0MUG00002": {"attributes": []}
      }
      """;

  static final String HUMAN = """
      {"B0MUG00002": [{"asin": "B0MUG00002", "instruction": "i want a big mug.", "attributes": [], "options": [],
                       "instruction_attributes": ["dishwasher safe"], "instruction_options": ["16 oz"],
                       "assignment_id": "a", "worker_id": "w"}]}
      """;

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
  }

  @Test
  void processesRawProductsFieldByField() throws IOException {
    write("items_shuffle_test.json", SHUFFLE);
    write("items_ins_v2_test.json", INS);
    write("items_human_ins.json", HUMAN);
    Catalog catalog = Catalog.load(dir);

    assertThat(catalog.products()).extracting(Product::asin)
        .containsExactly("B0SHIRT001", "B0MUG00002", "B0NOPRICE3");

    Product shirt = catalog.get("B0SHIRT001");
    assertThat(shirt.name()).isEqualTo("Classic Fit Tee");
    assertThat(shirt.title()).isEqualTo("Classic Fit Tee");
    assertThat(shirt.description()).isEqualTo("Soft cotton.");
    assertThat(shirt.bulletPoints()).containsExactly("Machine wash", "Short sleeve");
    assertThat(shirt.pricing()).containsExactly(10.99, 15.99);
    assertThat(shirt.price()).isEqualTo("$10.99 to $15.99");
    assertThat(shirt.options()).containsExactly(
        Map.entry("color", List.of("navy | white", "black")), Map.entry("size", List.of("x-large")));
    assertThat(shirt.attributes()).containsExactly("machine wash", "short sleeve");
    assertThat(shirt.category()).isEqualTo("fashion");
    assertThat(shirt.query()).isEqualTo("men's t-shirts");
    assertThat(shirt.productCategory()).isEqualTo("Clothing › Men › Shirts");
    assertThat(shirt.searchText()).isEqualTo(
        "classic fit tee soft cotton. machine wash color: navy | white, black, and size: x-large");
    assertThat(shirt.instruction()).isEqualTo("Find me a machine wash tee");
    assertThat(shirt.instructionAttributes()).containsExactly("machine wash");
    assertThat(shirt.humanInstructions()).isEmpty();

    Product mug = catalog.get("B0MUG00002");
    assertThat(mug.bulletPoints()).containsExactly("Dishwasher safe"); // a str becomes a one-item list
    assertThat(mug.pricing()).containsExactly(1299.5); // everything but digits and '.' dropped
    assertThat(mug.price()).isEqualTo("$1299.5");
    assertThat(mug.options()).isEmpty();
    assertThat(mug.attributes()).isEmpty(); // an empty "attributes" stays empty: no DUMMY_ATTR
    assertThat(mug.instruction()).isNull();
    assertThat(mug.humanInstructions()).containsExactly(
        new Product.HumanInstruction("i want a big mug.", List.of("dishwasher safe"), List.of("16 oz")));
    assertThat(mug.searchText()).isEqualTo("big mug holds coffee. dishwasher safe ");

    Product free = catalog.get("B0NOPRICE3");
    assertThat(free.pricing()).containsExactly(100.0);
    assertThat(free.price()).isEqualTo("$100.0");
    assertThat(free.attributes()).containsExactly("DUMMY_ATTR"); // not in items_ins_v2
    assertThat(free.searchText()).isEqualTo("free thing   ");

    assertThat(catalog.priceOf("B0MUG00002")).isEqualTo(1299.5);
    assertThat(catalog.priceOf("B0NOPRICE3")).isEqualTo(100.0);
    assertThat(catalog.priceOf("B0SHIRT001")).isBetween(10.99, 15.99);
    assertThat(catalog.find("B0NOTHERE0")).isEmpty();
    assertThatThrownBy(() -> catalog.get("B0NOTHERE0")).hasMessageContaining("B0NOTHERE0");
  }

  @Test
  void humanInstructionFileIsOptional() throws IOException {
    write("items_shuffle_test.json", SHUFFLE);
    write("items_ins_v2_test.json", INS);
    assertThat(Catalog.load(dir).get("B0MUG00002").humanInstructions()).isEmpty();
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    assertThatThrownBy(() -> Catalog.load(dir)).isInstanceOf(CatalogException.class)
        .hasMessageContaining("items_ins_v2*.json");
    write("items_ins_v2_test.json", INS);
    assertThatThrownBy(() -> Catalog.load(dir)).hasMessageContaining("items_shuffle*.json");
    write("items_shuffle_a.json", SHUFFLE);
    write("items_shuffle_b.json", SHUFFLE);
    assertThatThrownBy(() -> Catalog.load(dir)).hasMessageContaining("several items_shuffle");
    assertThatThrownBy(() -> Catalog.load(dir.resolve("absent"))).hasMessageContaining("not a directory");
  }

  @Test
  void malformedInputNamesFileAndPlace() throws IOException {
    write("items_ins_v2_test.json", INS);
    write("items_shuffle_test.json", SHUFFLE.replace("\"$1,299.5\"", "\"$\""));
    assertThatThrownBy(() -> Catalog.load(dir)).isInstanceOf(CatalogException.class)
        .hasMessageContaining("items_shuffle_test.json")
        .hasMessageContaining("$[1].pricing")
        .hasMessageContaining("unparseable price");

    write("items_shuffle_test.json", SHUFFLE.replace("\"name\": \"Big Mug\",", ""));
    assertThatThrownBy(() -> Catalog.load(dir)).hasMessageContaining("$[1]").hasMessageContaining("'name'");

    write("items_shuffle_test.json", "{\"not\": \"a list\"}");
    assertThatThrownBy(() -> Catalog.load(dir)).hasMessageContaining("expected a JSON array");

    write("items_shuffle_test.json", SHUFFLE.substring(0, 200));
    assertThatThrownBy(() -> Catalog.load(dir)).hasMessageContaining("items_shuffle_test.json")
        .hasMessageContaining("unreadable JSON");

    write("items_shuffle_test.json", SHUFFLE);
    write("items_ins_v2_test.json", "{\"B0SHIRT001\": {\"attributes\": [1]}}");
    assertThatThrownBy(() -> Catalog.load(dir)).hasMessageContaining("items_ins_v2_test.json")
        .hasMessageContaining("$['B0SHIRT001'].attributes[0]");
  }

  @Test
  void productsJsonlErrorsNameTheLine() throws IOException {
    write("items_ins_v2_test.json", INS);
    write("products.jsonl", "\n{\"id\": \"B1\", \"contents\": \"x\", \"product\": {\"asin\": \"B1\"}}\n");
    assertThatThrownBy(() -> Catalog.load(dir)).hasMessageContaining("products.jsonl at line 2")
        .hasMessageContaining("pricing");
    write("products.jsonl", "{oops\n");
    assertThatThrownBy(() -> Catalog.load(dir)).hasMessageContaining("products.jsonl at line 1")
        .hasMessageContaining("malformed JSON");
  }
}
