package org.eef4j.webshop.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PythonFloatTest {

  @Test
  void matchesPythonRepr() {
    // python3 -c "print([repr(x) for x in (877.8, 100.0, 12.0, 0.1, 1e7, 12345678.9, 1e16, 1.5e-5, 0.0005, 2.5e20)])"
    assertThat(PythonFloat.repr(877.8)).isEqualTo("877.8");
    assertThat(PythonFloat.repr(100.0)).isEqualTo("100.0");
    assertThat(PythonFloat.repr(12.0)).isEqualTo("12.0");
    assertThat(PythonFloat.repr(0.1)).isEqualTo("0.1");
    assertThat(PythonFloat.repr(1e7)).isEqualTo("10000000.0");
    assertThat(PythonFloat.repr(12345678.9)).isEqualTo("12345678.9");
    assertThat(PythonFloat.repr(1e16)).isEqualTo("1e+16");
    assertThat(PythonFloat.repr(1.5e-5)).isEqualTo("1.5e-05");
    assertThat(PythonFloat.repr(0.0005)).isEqualTo("0.0005");
    assertThat(PythonFloat.repr(2.5e20)).isEqualTo("2.5e+20");
  }
}
