package pulse.store;

import java.util.Collection;

/**
 * Distinct visitors in bounded memory, as Redis's PFADD/PFCOUNT count them: 2^14 registers
 * (standard error 0.81%, Redis's precision) over a 64-bit hash. Like Redis it starts sparse:
 * up to {@link #SPARSE_MAX} distinct hashes are kept as such and counted exactly, so small days
 * and minutes cost little; past that, 16 KiB of registers, whatever the number of visitors.
 * Not thread-safe (the store holds its site's lock).
 */
final class HyperLogLog {
  private static final int P = 14;
  static final int M = 1 << P;
  static final int SPARSE_MAX = 512;
  /** The most one instance holds: its registers (the sparse table of 2 * SPARSE_MAX is half). */
  static final long MAX_BYTES = M + 64;

  /** Open-addressed distinct hashes (0 = empty), null once dense. */
  private long[] sparse = new long[16];
  private int sparseSize;
  /** The registers, null while sparse. */
  private byte[] registers;

  void add(String id) {
    addHash(hash(id));
  }

  long count() {
    return registers == null ? sparseSize : estimate(registers);
  }

  /** Distinct ids over several counters (PFCOUNT of several keys). */
  static long countUnion(Collection<HyperLogLog> all) {
    HyperLogLog union = new HyperLogLog();
    for (HyperLogLog one : all) {
      if (one.registers != null) {
        if (union.registers == null) {
          union.registers = new byte[M];
          union.addSparseTo(union.registers);
          union.sparse = null;
        }
        for (int i = 0; i < M; i++) {
          union.registers[i] = (byte) Math.max(union.registers[i], one.registers[i]);
        }
      } else {
        for (long x : one.sparse) {
          if (x != 0) {
            union.addHash(x);
          }
        }
      }
    }
    return union.count();
  }

  /**
   * What a counter holds, copied for saving (the store goes on counting): its distinct hashes
   * while sparse, else its registers; the other is null. One no counter could hold (read from a
   * damaged file) is refused here, before any store sees it.
   */
  record Image(long[] hashes, byte[] registers) {
    Image {
      if ((hashes == null) == (registers == null)) {
        throw new IllegalArgumentException("a counter is sparse or dense");
      }
      if (registers != null) {
        if (registers.length != M) {
          throw new IllegalArgumentException("a counter of " + registers.length + " registers");
        }
        for (byte r : registers) {
          if (r < 0 || r > 64 - P + 1) {
            throw new IllegalArgumentException("a register of " + r);
          }
        }
      } else {
        if (hashes.length > SPARSE_MAX) {
          throw new IllegalArgumentException("a sparse counter of " + hashes.length);
        }
        for (long h : hashes) {
          if (h == 0) {
            throw new IllegalArgumentException("a hash of 0");
          }
        }
      }
    }
  }

  Image image() {
    if (registers != null) {
      return new Image(null, registers.clone());
    }
    long[] held = new long[sparseSize];
    int n = 0;
    for (long x : sparse) {
      if (x != 0) {
        held[n++] = x;
      }
    }
    return new Image(held, null);
  }

  /** The counter an {@link #image()} was taken of. */
  static HyperLogLog restore(Image image) {
    HyperLogLog restored = new HyperLogLog();
    if (image.registers() != null) {
      restored.registers = image.registers().clone();
      restored.sparse = null;
    } else {
      for (long h : image.hashes()) {
        restored.addHash(h);
      }
    }
    return restored;
  }

  private void addHash(long h) {
    if (registers != null) {
      addToRegisters(registers, h);
    } else if (insert(h) && sparseSize > SPARSE_MAX) {
      registers = new byte[M];
      addSparseTo(registers);
      sparse = null;
    }
  }

  private void addSparseTo(byte[] regs) {
    for (long x : sparse) {
      if (x != 0) {
        addToRegisters(regs, x);
      }
    }
  }

  /** Adds a hash to the sparse table; false when it was there already. */
  private boolean insert(long h) {
    // grows up to twice SPARSE_MAX slots (8 KiB), the load of the last insert before going dense
    if (sparseSize + 1 > sparse.length / 2 && sparse.length < 2 * SPARSE_MAX) {
      long[] old = sparse;
      sparse = new long[old.length * 2];
      sparseSize = 0;
      for (long x : old) {
        if (x != 0) {
          insert(x);
        }
      }
    }
    int mask = sparse.length - 1;
    for (int i = (int) (h ^ (h >>> 32)) & mask; ; i = (i + 1) & mask) {
      if (sparse[i] == h) {
        return false;
      }
      if (sparse[i] == 0) {
        sparse[i] = h;
        sparseSize++;
        return true;
      }
    }
  }

  private static void addToRegisters(byte[] regs, long h) {
    int index = (int) (h >>> (64 - P));
    // the position of the first 1 bit after the index bits (at most 64 - P + 1)
    byte rank = (byte) (Long.numberOfLeadingZeros((h << P) | (1L << (P - 1))) + 1);
    if (rank > regs[index]) {
      regs[index] = rank;
    }
  }

  /**
   * Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
   * 2017), the one Redis uses since 5.0: unbiased over the whole range, without the bump of the
   * classic estimate where it hands over from linear counting.
   */
  private static long estimate(byte[] regs) {
    int q = 64 - P;
    int[] histogram = new int[q + 2];
    for (byte r : regs) {
      histogram[r]++;
    }
    double z = M * tau((M - histogram[q + 1]) / (double) M);
    for (int k = q; k >= 1; k--) {
      z = 0.5 * (z + histogram[k]);
    }
    z += M * sigma(histogram[0] / (double) M);
    return Math.round(M / (2 * Math.log(2)) * M / z);
  }

  private static double sigma(double x) {
    if (x == 1.0) {
      return Double.POSITIVE_INFINITY;
    }
    double y = 1;
    double z = x;
    double previous;
    do {
      x *= x;
      previous = z;
      z += x * y;
      y += y;
    } while (previous != z);
    return z;
  }

  private static double tau(double x) {
    if (x == 0.0 || x == 1.0) {
      return 0.0;
    }
    double y = 1.0;
    double z = 1 - x;
    double previous;
    do {
      x = Math.sqrt(x);
      previous = z;
      y *= 0.5;
      z -= Math.pow(1 - x, 2) * y;
    } while (previous != z);
    return z / 3;
  }

  /** A well-mixed 64-bit hash of a string: FNV-1a, then MurmurHash3's finaliser; never 0. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }
}
