package pulse.ingest;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * IP address → country code lookups against a MaxMind-format (.mmdb) database.
 *
 * <p>Built for the public-domain {@code @ip-location-db/geo-whois-asn-country-mmdb} database
 * (fetched by {@code scripts/fetch-geoip.sh} into {@code data/geoip/country.mmdb}), whose records
 * are maps with a single {@code country_code} field. Any .mmdb whose records carry
 * {@code country_code} works; as a fallback, MaxMind GeoLite2/GeoIP2 Country layout
 * ({@code country.iso_code}) is read too.
 *
 * <p>Private, loopback, link-local, CGNAT, documentation, benchmarking, multicast and reserved
 * addresses always give null, without consulting the database: the ip-location-db data wrongly
 * maps some of them (e.g. 192.168.0.0/16, 172.16.0.0/12) to a country.
 *
 * <p>Only codes that {@link Countries#isValid} accepts are returned, so the database's rare
 * {@code XK} (Kosovo) and {@code AN} (Netherlands Antilles) entries come back as null.
 *
 * <p>Thread-safe; open once and share. The file is memory-mapped.
 */
public final class GeoIp {

  private static final GeoIp NONE = new GeoIp(null, null);

  private final Reader reader;
  private final Path path;

  private GeoIp(Reader reader, Path path) {
    this.reader = reader;
    this.path = path;
  }

  /**
   * Opens an .mmdb file.
   *
   * @throws IOException naming the path if the file is missing, unreadable or not a valid MaxMind
   *     database
   */
  public static GeoIp open(Path mmdb) throws IOException {
    if (mmdb == null) {
      throw new IOException("GeoIP database path is null");
    }
    Path abs = mmdb.toAbsolutePath();
    if (!Files.isRegularFile(abs) || !Files.isReadable(abs)) {
      throw new IOException(
          "GeoIP database not found or not readable: " + abs + " (run scripts/fetch-geoip.sh)");
    }
    try {
      return new GeoIp(new Reader(abs.toFile(), new CHMCache()), abs);
    } catch (IOException | RuntimeException e) {
      throw new IOException("Cannot open GeoIP database " + abs + ": " + e.getMessage(), e);
    }
  }

  /** A GeoIp without a database: {@link #country} always returns null. */
  public static GeoIp none() {
    return NONE;
  }

  /**
   * Upper-case ISO 3166-1 alpha-2 code for {@code ip}, or null if the address is null,
   * non-public, not in the database, or maps to something that is not a valid ISO code.
   * Never throws for bad input; a lookup error also yields null.
   */
  public String country(InetAddress ip) {
    if (reader == null || ip == null || !isPublic(ip)) {
      return null;
    }
    Map<?, ?> record;
    try {
      record = reader.get(ip, Map.class);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (record == null) {
      return null;
    }
    Object code = record.get("country_code");
    if (code == null && record.get("country") instanceof Map<?, ?> country) {
      code = country.get("iso_code");
    }
    if (!(code instanceof String s)) {
      return null;
    }
    String upper = s.toUpperCase(Locale.ROOT);
    return Countries.isValid(upper) ? upper : null;
  }

  /** Closes the database; afterwards {@link #country} returns null. Safe to call twice. */
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }

  @Override
  public String toString() {
    return path == null ? "GeoIp[none]" : "GeoIp[" + path + "]";
  }

  /** False for addresses that can never be a visitor's public address. */
  static boolean isPublic(InetAddress ip) {
    if (ip.isAnyLocalAddress()
        || ip.isLoopbackAddress()
        || ip.isLinkLocalAddress()
        || ip.isSiteLocalAddress()
        || ip.isMulticastAddress()) {
      return false;
    }
    byte[] b = ip.getAddress();
    if (ip instanceof Inet4Address) {
      int a0 = b[0] & 0xff;
      int a1 = b[1] & 0xff;
      int a2 = b[2] & 0xff;
      return !(a0 == 0 // "this network"
          || a0 >= 224 // multicast, reserved 240/4, broadcast
          || (a0 == 100 && (a1 & 0xc0) == 64) // CGNAT 100.64.0.0/10
          || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // 192.0.0.0/24, TEST-NET-1
          || (a0 == 198 && (a1 & 0xfe) == 18) // benchmarking 198.18.0.0/15
          || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
          || (a0 == 203 && a1 == 0 && a2 == 113)); // TEST-NET-3
    }
    if (ip instanceof Inet6Address) {
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      if ((b0 & 0xe0) != 0x20) {
        // Only 2000::/3 is global unicast; ::, ::1, fc00::/7, fe80::/10, ff00::/8 ... are not.
        // An IPv4-mapped literal (::ffff:a.b.c.d) is already an Inet4Address here.
        return false;
      }
      // 2001:db8::/32 is documentation-only.
      return !(b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8);
    }
    return false;
  }
}
