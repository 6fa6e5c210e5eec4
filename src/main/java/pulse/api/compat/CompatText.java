package pulse.api.compat;

import io.vertx.core.json.Json;

/** How an error message repeats a client's input: as JSON, at most 100 characters of it. */
final class CompatText {
  private static final int ECHO = 100;

  private CompatText() {}

  static String echo(Object value) {
    String text = value instanceof String s ? s : Json.encode(value);
    return text.length() > ECHO ? text.substring(0, ECHO) + "…" : text;
  }
}
