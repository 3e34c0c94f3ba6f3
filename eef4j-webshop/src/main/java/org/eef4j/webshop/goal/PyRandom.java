package org.eef4j.webshop.goal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CPython's {@code random.Random} (3.x), bit for bit: the Mersenne Twister MT19937 with CPython's seeding, and the
 * methods WebShop calls. WebShop fixes goal order with {@code random.seed(233); random.shuffle(goals)} and draws price
 * limits with {@code random.sample}, so goal index N only means the same task if every draw here equals CPython's.
 *
 * <p>Not thread-safe: one instance per sequence of draws, as in Python.
 */
public final class PyRandom {

  private static final int N = 624;
  private static final int M = 397;
  private static final int MATRIX_A = 0x9908b0df;
  private static final int UPPER_MASK = 0x80000000;
  private static final int LOWER_MASK = 0x7fffffff;

  private final int[] mt = new int[N];
  private int mti = N + 1;

  /** {@code random.Random(seed)} for an int seed. */
  public PyRandom(long seed) {
    seed(seed);
  }

  /** {@code random.Random(seed)} for a str seed (version 2: the UTF-8 bytes followed by their SHA-512, as one int). */
  public PyRandom(String seed) {
    seed(seed);
  }

  /** {@code random.seed(n)}: the absolute value's 32-bit words, least significant first, through init_by_array. */
  public void seed(long seed) {
    seed(BigInteger.valueOf(seed).abs());
  }

  /** {@code random.seed(s)} for a str, version 2. */
  public void seed(String seed) {
    byte[] text = seed.getBytes(StandardCharsets.UTF_8);
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-512").digest(text);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-512", e);
    }
    byte[] all = new byte[text.length + digest.length];
    System.arraycopy(text, 0, all, 0, text.length);
    System.arraycopy(digest, 0, all, text.length, digest.length);
    seed(new BigInteger(1, all));
  }

  private void seed(BigInteger nonNegative) {
    int words = Math.max(1, (nonNegative.bitLength() + 31) / 32);
    int[] key = new int[words];
    for (int i = 0; i < words; i++) {
      key[i] = nonNegative.shiftRight(32 * i).intValue();
    }
    initByArray(key);
  }

  private void initGenrand(int s) {
    mt[0] = s;
    for (mti = 1; mti < N; mti++) {
      mt[mti] = 1812433253 * (mt[mti - 1] ^ (mt[mti - 1] >>> 30)) + mti;
    }
  }

  private void initByArray(int[] key) {
    initGenrand(19650218);
    int i = 1;
    int j = 0;
    for (int k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) {
        j = 0;
      }
    }
    for (int k = N - 1; k > 0; k--) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000; // MSB is 1, assuring a non-zero initial array
  }

  /** One raw 32-bit output, as an unsigned value in an int. */
  private int genrandUint32() {
    if (mti >= N) {
      int kk;
      for (kk = 0; kk < N - M; kk++) {
        int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) * MATRIX_A);
      }
      for (; kk < N - 1; kk++) {
        int y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) * MATRIX_A);
      }
      int y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) * MATRIX_A);
      mti = 0;
    }
    int y = mt[mti++];
    y ^= (y >>> 11);
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= (y >>> 18);
    return y;
  }

  /** {@code random()}: a double in [0, 1) with 53 random bits. */
  public double random() {
    long a = Integer.toUnsignedLong(genrandUint32()) >>> 5;
    long b = Integer.toUnsignedLong(genrandUint32()) >>> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }

  /** {@code getrandbits(k)} for 0 <= k <= 63: 32-bit words, least significant first, the last one's top bits kept. */
  public long getrandbits(int k) {
    if (k < 0 || k > 63) {
      throw new IllegalArgumentException("getrandbits supports 0..63 bits here, got " + k);
    }
    if (k == 0) {
      return 0;
    }
    if (k <= 32) {
      return Integer.toUnsignedLong(genrandUint32()) >>> (32 - k);
    }
    long low = Integer.toUnsignedLong(genrandUint32());
    long high = Integer.toUnsignedLong(genrandUint32()) >>> (64 - k);
    return low | (high << 32);
  }

  /** {@code _randbelow(n)}: uniform in [0, n) by rejection over {@code getrandbits(n.bit_length())}. */
  public long randbelow(long n) {
    if (n <= 0) {
      throw new IllegalArgumentException("randbelow needs n > 0, got " + n);
    }
    int k = 64 - Long.numberOfLeadingZeros(n); // n.bit_length(), not (n-1)'s: n may be 1
    long r = getrandbits(k);
    while (r >= n) {
      r = getrandbits(k);
    }
    return r;
  }

  /** {@code shuffle(x)} in place: for i from n-1 down to 1, swap x[i] with x[randbelow(i+1)]. */
  public void shuffle(List<?> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = (int) randbelow(i + 1);
      Collections.swap(list, i, j);
    }
  }

  /**
   * {@code sample(population, k)}: k distinct elements in selection order. Like CPython, a small population (n at most
   * 21, or 21 + 4^ceil(log4(3k)) when k > 5) is drawn from a shrinking pool, a large one by rejection of repeated
   * indices; the two consume the generator differently, so the choice must match.
   */
  public <T> List<T> sample(List<T> population, int k) {
    int n = population.size();
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("Sample larger than population or is negative: k=" + k + ", n=" + n);
    }
    List<T> result = new ArrayList<>(k);
    long setsize = 21;
    if (k > 5) {
      setsize += pow4CeilLog4(3L * k);
    }
    if (n <= setsize) {
      List<T> pool = new ArrayList<>(population);
      for (int i = 0; i < k; i++) {
        int j = (int) randbelow(n - i);
        result.add(pool.get(j));
        pool.set(j, pool.get(n - i - 1));
      }
    } else {
      Set<Integer> selected = new HashSet<>();
      for (int i = 0; i < k; i++) {
        int j = (int) randbelow(n);
        while (selected.contains(j)) {
          j = (int) randbelow(n);
        }
        selected.add(j);
        result.add(population.get(j));
      }
    }
    return result;
  }

  /** {@code 4 ** ceil(log(x, 4))} as CPython computes it, in floating point (log(x)/log(4), then ceil). */
  private static long pow4CeilLog4(long x) {
    double e = Math.ceil(Math.log(x) / Math.log(4));
    return (long) Math.pow(4, e);
  }

  /** {@code uniform(a, b)}: {@code a + (b - a) * random()}. */
  public double uniform(double a, double b) {
    return a + (b - a) * random();
  }

  /** {@code choice(seq)}: {@code seq[_randbelow(len(seq))]}. */
  public <T> T choice(List<T> seq) {
    if (seq.isEmpty()) {
      throw new IndexOutOfBoundsException("Cannot choose from an empty sequence");
    }
    return seq.get((int) randbelow(seq.size()));
  }
}
