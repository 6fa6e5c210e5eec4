package pulse.bench;

import java.util.Arrays;

/** Percentiles of recorded values (nearest rank), and the result lines the scripts read. */
final class Stats {
  private long[] values = new long[1024];
  private int size;

  synchronized void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  synchronized int count() {
    return size;
  }

  /** The p-th percentile (0 < p <= 100), or -1 without values. */
  synchronized long percentile(double p) {
    if (size == 0) {
      return -1;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
  }

  synchronized long max() {
    long max = -1;
    for (int i = 0; i < size; i++) {
      max = Math.max(max, values[i]);
    }
    return max;
  }

  static String ms(long nanos) {
    return nanos < 0 ? "n/a" : String.format("%.1f", nanos / 1e6);
  }

  static void result(String key, Object value) {
    System.out.println(key + "=" + value);
    System.out.flush();
  }

  static void progress(String line) {
    System.err.println("  " + line);
    System.err.flush();
  }
}
