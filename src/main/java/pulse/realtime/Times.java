package pulse.realtime;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The timestamp formats the APIs speak, all UTC. */
public final class Times {
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR_MINUTE =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private Times() {}

  /** 2026-11-23T14:32:20.123Z */
  public static String isoMillis(long epochMillis) {
    return MILLIS.format(Instant.ofEpochMilli(epochMillis));
  }

  /** 2026-11-23T14:32:20Z */
  public static String isoSeconds(long epochMillis) {
    return SECONDS.format(Instant.ofEpochMilli(epochMillis));
  }

  /** 14:32 */
  public static String hourMinute(long epochMillis) {
    return HOUR_MINUTE.format(Instant.ofEpochMilli(epochMillis));
  }
}
