package pulse.ingest;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import pulse.store.EventStore;

/**
 * Cookieless visitor ids: hash(daily salt, site, IP, user agent). The salt is shared by every
 * instance through the store and changes each UTC day, so an id cannot be followed across days
 * and the IP is never kept.
 */
public final class VisitorIds {
  private final EventStore store;
  private final Map<String, Future<String>> salts = new ConcurrentHashMap<>();

  public VisitorIds(EventStore store) {
    this.store = store;
  }

  public Future<String> salt(String day) {
    Future<String> salt = salts.computeIfAbsent(day, d -> {
      salts.keySet().removeIf(old -> old.compareTo(d) < 0);
      return store.dailySalt(d);
    });
    if (salt.failed()) {
      salts.remove(day, salt);
    }
    return salt;
  }

  public static String visitorId(String salt, String siteId, String ip, String userAgent) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {salt, siteId, ip, userAgent == null ? "" : userAgent}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
