package pulse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small IP-to-country database in MaxMind DB format (.mmdb, format 2.0, an IPv6 tree
 * with IPv4 under ::/96, 24-bit records), whose records are {@code {"country_code": "US"}} like
 * the ip-location-db database Pulse is built for. So the GeoIp tests need no download. The format:
 * https://maxmind.github.io/MaxMind-DB/ (search tree, 16 zero bytes, data section, metadata).
 */
public final class TestMmdb {
  private static final byte[] METADATA_MARKER = concat(new byte[] {(byte) 0xAB, (byte) 0xCD,
      (byte) 0xEF}, "MaxMind.com".getBytes(StandardCharsets.US_ASCII));

  private record Network(byte[] address, int prefix, String country) {}

  private static final class Node {
    final Node[] child = new Node[2];
    String country;
    int number = -1;

    boolean isLeaf() {
      return child[0] == null && child[1] == null;
    }
  }

  private final List<Network> networks = new ArrayList<>();

  /** Maps a network ("8.8.8.0/24", "2001:4860::/32") to a country code; narrower ones win. */
  public TestMmdb add(String cidr, String country) {
    String[] parts = cidr.split("/");
    try {
      byte[] raw = InetAddress.getByName(parts[0]).getAddress(); // literals only: no DNS lookup
      int prefix = Integer.parseInt(parts[1]);
      byte[] address = new byte[16];
      System.arraycopy(raw, 0, address, 16 - raw.length, raw.length);
      networks.add(new Network(address, raw.length == 4 ? prefix + 96 : prefix, country));
    } catch (IOException e) {
      throw new IllegalArgumentException(cidr, e);
    }
    return this;
  }

  public Path write(Path file) throws IOException {
    Node root = new Node();
    List<Network> broadFirst = new ArrayList<>(networks);
    broadFirst.sort(Comparator.comparingInt(Network::prefix));
    for (Network network : broadFirst) {
      insert(root, network);
    }
    // number the inner nodes breadth first; leaves become data pointers or "no data"
    List<Node> inner = new ArrayList<>();
    Deque<Node> queue = new ArrayDeque<>(List.of(root));
    while (!queue.isEmpty()) {
      Node node = queue.poll();
      node.number = inner.size();
      inner.add(node);
      for (Node c : node.child) {
        if (c != null && !c.isLeaf()) {
          queue.add(c);
        }
      }
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    Map<String, Integer> offsets = new LinkedHashMap<>();
    ByteArrayOutputStream tree = new ByteArrayOutputStream();
    for (Node node : inner) {
      for (Node c : node.child) {
        long record;
        if (c == null || (c.isLeaf() && c.country == null)) {
          record = inner.size(); // no data
        } else if (!c.isLeaf()) {
          record = c.number;
        } else {
          Integer offset = offsets.get(c.country);
          if (offset == null) {
            offset = data.size();
            offsets.put(c.country, offset);
            writeMap(data, Map.of("country_code", c.country));
          }
          record = inner.size() + 16L + offset;
        }
        tree.write((int) (record >> 16) & 0xff);
        tree.write((int) (record >> 8) & 0xff);
        tree.write((int) record & 0xff);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tree.toByteArray());
    out.write(new byte[16]);
    out.write(data.toByteArray());
    out.write(METADATA_MARKER);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("binary_format_major_version", new Uint16(2));
    metadata.put("binary_format_minor_version", new Uint16(0));
    metadata.put("build_epoch", new Uint64(1_700_000_000L));
    metadata.put("database_type", "Pulse-Test-Country");
    metadata.put("description", Map.of("en", "Pulse test networks"));
    metadata.put("ip_version", new Uint16(6));
    metadata.put("languages", List.of());
    metadata.put("node_count", new Uint32(inner.size()));
    metadata.put("record_size", new Uint16(24));
    writeMap(out, metadata);
    Files.write(file, out.toByteArray());
    return file;
  }

  private static void insert(Node root, Network network) {
    Node node = root;
    for (int i = 0; i < network.prefix(); i++) {
      if (node.isLeaf() && node.country != null) {
        // split a broader network: both halves keep its country until narrowed below
        node.child[0] = new Node();
        node.child[1] = new Node();
        node.child[0].country = node.country;
        node.child[1].country = node.country;
        node.country = null;
      }
      int bit = (network.address()[i / 8] >> (7 - i % 8)) & 1;
      if (node.child[bit] == null) {
        node.child[bit] = new Node();
      }
      node = node.child[bit];
    }
    node.child[0] = null;
    node.child[1] = null;
    node.country = network.country();
  }

  private record Uint16(int value) {}

  private record Uint32(long value) {}

  private record Uint64(long value) {}

  private static void writeMap(ByteArrayOutputStream out, Map<String, ?> map) {
    control(out, 7, map.size());
    for (Map.Entry<String, ?> e : map.entrySet()) {
      write(out, e.getKey());
      write(out, e.getValue());
    }
  }

  @SuppressWarnings("unchecked")
  private static void write(ByteArrayOutputStream out, Object value) {
    if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      control(out, 2, utf8.length);
      out.writeBytes(utf8);
    } else if (value instanceof Map<?, ?> m) {
      writeMap(out, (Map<String, ?>) m);
    } else if (value instanceof List<?> list) {
      control(out, 11, list.size());
      list.forEach(item -> write(out, item));
    } else if (value instanceof Uint16 u) {
      unsigned(out, 5, u.value());
    } else if (value instanceof Uint32 u) {
      unsigned(out, 6, u.value());
    } else if (value instanceof Uint64 u) {
      unsigned(out, 9, u.value());
    } else {
      throw new IllegalArgumentException("cannot write " + value);
    }
  }

  private static void unsigned(ByteArrayOutputStream out, int type, long value) {
    int bytes = 0;
    while (bytes < 8 && (value >>> (bytes * 8)) != 0) {
      bytes++;
    }
    control(out, type, bytes);
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (i * 8)) & 0xff);
    }
  }

  /** A control byte: the type in the top 3 bits (0 and an extra byte past 7), the size below. */
  private static void control(ByteArrayOutputStream out, int type, int size) {
    if (size >= 29) {
      throw new IllegalArgumentException("sizes over 28 are not needed here: " + size);
    }
    if (type <= 7) {
      out.write((type << 5) | size);
    } else {
      out.write(size);
      out.write(type - 7);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
