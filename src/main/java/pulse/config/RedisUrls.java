package pulse.config;

/** Redis URLs as they may be shown: in logs and messages, never with their password. */
public final class RedisUrls {
  private RedisUrls() {}

  /**
   * {@code redis://:secret@host:6379} → {@code redis://host:6379}, {@code redis://user:secret@host}
   * → {@code redis://user@host}; each of comma-separated cluster URLs alike.
   */
  public static String withoutPassword(String urls) {
    if (urls == null) {
      return null;
    }
    StringBuilder shown = new StringBuilder();
    for (String part : urls.split(",", -1)) {
      if (shown.length() > 0) {
        shown.append(',');
      }
      shown.append(one(part.trim()));
    }
    return shown.toString();
  }

  private static String one(String url) {
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@'); // a password may itself hold '@'; the host never does
    if (scheme < 0 || at < scheme) {
      return url;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    String user = colon < 0 ? "" : userInfo.substring(0, colon);
    // without a colon the whole user-info is a password (redis://secret@host is read that way)
    String prefix = url.substring(0, scheme + 3);
    return prefix + (user.isEmpty() ? "" : user + "@") + url.substring(at + 1);
  }
}
