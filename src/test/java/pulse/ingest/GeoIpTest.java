package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.testing.TestMmdb;

/**
 * Runs against a small database the test writes ({@link TestMmdb}: real MaxMind DB format, read
 * by the real reader), shaped like the ip-location-db one: {@code country_code} records, broad
 * networks narrowed by smaller ones, and private ranges mapped to a country as that database
 * wrongly does. No download: the test command needs no network.
 */
class GeoIpTest {

  @TempDir static Path dir;
  private static Path db;
  private static GeoIp geo;

  @BeforeAll
  static void openDatabase() throws Exception {
    db = new TestMmdb()
        .add("0.0.0.0/1", "DE")
        .add("128.0.0.0/2", "FR")
        .add("192.0.0.0/3", "NL")
        .add("8.8.8.0/24", "US")
        .add("1.1.1.0/24", "AU")
        .add("5.5.5.0/24", "XK") // Kosovo's user-assigned code: not an ISO country
        .add("10.0.0.0/8", "AU")
        .add("127.0.0.0/8", "AU")
        .add("172.16.0.0/12", "AU")
        .add("192.168.0.0/16", "AU")
        .add("198.51.100.0/24", "AU")
        .add("203.0.113.0/24", "AU")
        .add("2001:4860::/32", "US")
        .add("2606:4700::/32", "US")
        .add("::1/128", "AU")
        .write(dir.resolve("country.mmdb"));
    geo = GeoIp.open(db);
  }

  @AfterAll
  static void close() throws IOException {
    if (geo != null) {
      geo.close();
    }
  }

  /** Parses an IP literal; never does a DNS lookup because the inputs are literals. */
  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  @Test
  void googleDnsIsUs() throws Exception {
    assertEquals("US", geo.country(ip("8.8.8.8")));
  }

  @Test
  void cloudflareDnsHasAValidCode() throws Exception {
    String code = geo.country(ip("1.1.1.1"));
    assertTrue(Countries.isValid(code), "got " + code);
  }

  @Test
  void ipv6AndMappedIpv4Work() throws Exception {
    assertEquals("US", geo.country(ip("2001:4860:4860::8888")));
    assertEquals("US", geo.country(ip("::ffff:8.8.8.8")));
  }

  @Test
  void loopbackAndPrivateAreNull() throws Exception {
    assertNull(geo.country(ip("127.0.0.1")));
    assertNull(geo.country(ip("10.0.0.1")));
    assertNull(geo.country(ip("::1")));
  }

  /** The database itself maps these ranges to AU; GeoIp must not pass that on. */
  @Test
  void privateRangesMisattributedByTheDatabaseAreNull() throws Exception {
    assertNull(geo.country(ip("192.168.1.1")));
    assertNull(geo.country(ip("172.16.0.1")));
    assertNull(geo.country(ip("172.31.255.254")));
    assertNull(geo.country(ip("198.51.100.7")));
    assertNull(geo.country(ip("203.0.113.9")));
  }

  @Test
  void aCodeThatIsNotAnIsoCountryIsNull() throws Exception {
    assertEquals("DE", geo.country(ip("5.5.4.1")));
    assertNull(geo.country(ip("5.5.5.1")));
  }

  @Test
  void nullAddressIsNull() {
    assertNull(geo.country(null));
  }

  @Test
  void specialPurposeAddressesAreNotPublic() throws Exception {
    for (String s : List.of("0.0.0.0", "100.64.0.1", "100.127.255.255", "169.254.1.1",
        "192.0.0.8", "192.0.2.1", "198.18.0.1", "198.19.255.1", "224.0.0.1", "240.0.0.1",
        "255.255.255.255", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
        "2001:db8::1", "fec0::1")) {
      assertFalse(GeoIp.isPublic(ip(s)), s);
      assertNull(geo.country(ip(s)), s);
    }
    for (String s : List.of("8.8.8.8", "100.128.0.1", "100.63.255.255", "172.32.0.1",
        "198.20.0.1", "2606:4700:4700::1111")) {
      assertTrue(GeoIp.isPublic(ip(s)), s);
    }
  }

  @Test
  void noneAlwaysReturnsNull() throws Exception {
    assertNull(GeoIp.none().country(ip("8.8.8.8")));
    assertNull(GeoIp.none().country(null));
  }

  @Test
  void missingFileFailsNamingThePath(@TempDir Path dir) {
    Path missing = dir.resolve("nope.mmdb");
    IOException e = assertThrows(IOException.class, () -> GeoIp.open(missing));
    assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
  }

  @Test
  void corruptFileFailsNamingThePath(@TempDir Path dir) throws Exception {
    Path junk = dir.resolve("junk.mmdb");
    Files.writeString(junk, "this is not a MaxMind database");
    IOException e = assertThrows(IOException.class, () -> GeoIp.open(junk));
    assertTrue(e.getMessage().contains(junk.toAbsolutePath().toString()), e.getMessage());
  }

  @Test
  void closedDatabaseReturnsNull() throws Exception {
    GeoIp own = GeoIp.open(db);
    assertEquals("US", own.country(ip("8.8.8.8")));
    own.close();
    assertNull(own.country(ip("8.8.8.8")));
    own.close();
  }

  @Test
  void concurrentLookupsAgree() throws Exception {
    List<InetAddress> ips = new ArrayList<>();
    for (int i = 1; i < 224; i += 3) {
      ips.add(ip(i + "." + (i * 7 % 256) + "." + (i * 13 % 256) + ".1"));
    }
    List<String> expected = new ArrayList<>();
    for (InetAddress a : ips) {
      expected.add(geo.country(a));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          List<String> got = new ArrayList<>();
          for (int round = 0; round < 50; round++) {
            got.clear();
            for (InetAddress a : ips) {
              got.add(geo.country(a));
            }
          }
          return got;
        }));
      }
      for (Future<List<String>> f : futures) {
        assertEquals(expected, f.get(1, TimeUnit.MINUTES));
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(expected.stream().filter(c -> c != null).count() > ips.size() / 2,
        "most public addresses should resolve: " + expected);
  }
}
