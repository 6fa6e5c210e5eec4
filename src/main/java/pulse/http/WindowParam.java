package pulse.http;

import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the window parameter: 30s, 5m, 1h or plain seconds, from 1 second to the maximum. */
public final class WindowParam {
  private static final Pattern FORMAT = Pattern.compile("([0-9]{1,7})([smh]?)");

  private WindowParam() {}

  /** The window in seconds, or -1 when the text is not a valid window. */
  public static int parse(String text, int defaultSeconds, int maxSeconds) {
    if (text == null) {
      return defaultSeconds;
    }
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    long seconds = switch (m.group(2)) {
      case "m" -> n * 60;
      case "h" -> n * 3600;
      default -> n;
    };
    return seconds >= 1 && seconds <= maxSeconds ? (int) seconds : -1;
  }

  /** The request's window in seconds; on a bad one answers 400 and returns -1. */
  public static int fromRequest(RoutingContext ctx, int defaultSeconds, int maxSeconds) {
    int window = parse(ctx.request().getParam("window"), defaultSeconds, maxSeconds);
    if (window < 0) {
      HttpErrors.send(ctx, 400, error(maxSeconds));
    }
    return window;
  }

  public static String error(int maxSeconds) {
    return "window must be 30s, 5m, 1h or a number of seconds from 1 to " + maxSeconds;
  }
}
