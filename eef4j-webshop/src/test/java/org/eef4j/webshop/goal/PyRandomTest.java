package org.eef4j.webshop.goal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Expected values are CPython 3.11's; the python line that printed each is in the comment above it. */
class PyRandomTest {

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void randomMatchesCPythonForIntSeeds() {
    // r=random.Random(233); [r.random() for _ in range(3)]
    PyRandom r = new PyRandom(233);
    assertThat(List.of(r.random(), r.random(), r.random()))
        .containsExactly(0.6824769139473528, 0.6283202109809801, 0.5251745077282681);
    // random.Random(0).random()
    assertThat(new PyRandom(0).random()).isEqualTo(0.8444218515250481);
    // random.Random(2**40+5).random(): a seed of two 32-bit words
    assertThat(new PyRandom((1L << 40) + 5).random()).isEqualTo(0.5043802970418443);
    // random.Random(-7).random(): CPython seeds with abs(n)
    assertThat(new PyRandom(-7).random()).isEqualTo(0.32383276483316237);
  }

  @Test
  void stringSeedsUseVersion2Hashing() {
    // random.Random('B09QCP4579').random()
    assertThat(new PyRandom("B09QCP4579").random()).isEqualTo(0.9266606159184717);
    // random.Random('B09QCP4579').uniform(16.99, 26.99)
    assertThat(new PyRandom("B09QCP4579").uniform(16.99, 26.99)).isEqualTo(26.256606159184713);
    // random.Random('ünï').random(): seeded from the UTF-8 bytes
    assertThat(new PyRandom("ünï").random()).isEqualTo(0.5478195217262046);
  }

  @Test
  void getrandbitsMatchesCPython() {
    // r=random.Random(233); [r.getrandbits(32) for _ in range(3)], r.getrandbits(7), r.getrandbits(33), r.getrandbits(63)
    PyRandom r = new PyRandom(233);
    assertThat(List.of(r.getrandbits(32), r.getrandbits(32), r.getrandbits(32)))
        .containsExactly(2931216007L, 3446561803L, 2698614761L);
    assertThat(r.getrandbits(7)).isEqualTo(22);
    assertThat(r.getrandbits(33)).isEqualTo(2255607332L);
    assertThat(r.getrandbits(63)).isEqualTo(7841584561842694469L);
  }

  @Test
  void randbelowMatchesCPython() {
    // r=random.Random(5); [r._randbelow(n) for n in (1,2,3,1000,2**40)]
    PyRandom r = new PyRandom(5);
    assertThat(List.of(r.randbelow(1), r.randbelow(2), r.randbelow(3), r.randbelow(1000), r.randbelow(1L << 40)))
        .containsExactly(0L, 1L, 2L, 965L, 62406045989L);
  }

  @Test
  void shuffleMatchesCPython() {
    // r=random.Random(233); x=list(range(20)); r.shuffle(x); x
    List<Integer> x = new ArrayList<>(range(20));
    new PyRandom(233).shuffle(x);
    assertThat(x).containsExactly(17, 18, 9, 2, 8, 19, 11, 10, 12, 0, 3, 4, 14, 13, 1, 6, 15, 7, 16, 5);
  }

  @Test
  void sampleUsesBothOfCPythonsAlgorithms() {
    // r=random.Random(1); r.sample([10.0,20.0,30.0,40.0],2), r.sample(range(100),10), r.sample(range(30),3)
    PyRandom r = new PyRandom(1);
    assertThat(r.sample(List.of(10.0, 20.0, 30.0, 40.0), 2)).containsExactly(20.0, 30.0); // pool
    assertThat(r.sample(range(100), 10)).containsExactly(97, 8, 32, 15, 63, 57, 60, 83, 48, 26); // n > 85: set
    assertThat(r.sample(range(30), 3)).containsExactly(3, 15, 0); // n > 21: set
  }

  @Test
  void choiceAndUniformMatchCPython() {
    // r=random.Random(9); r.choice('abcdefg'), r.uniform(2.5, 7.5)
    PyRandom r = new PyRandom(9);
    assertThat(r.choice(List.of("a", "b", "c", "d", "e", "f", "g"))).isEqualTo("d");
    assertThat(r.uniform(2.5, 7.5)).isEqualTo(5.566076165933606);
  }

  @Test
  void rejectsImpossibleRequests() {
    PyRandom r = new PyRandom(1);
    assertThatThrownBy(() -> r.sample(List.of(1, 2), 3)).hasMessageContaining("larger than population");
    assertThatThrownBy(() -> r.randbelow(0)).hasMessageContaining("n > 0");
    assertThatThrownBy(() -> r.choice(List.of())).hasMessageContaining("empty");
  }
}
