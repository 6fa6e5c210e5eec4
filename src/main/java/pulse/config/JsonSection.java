package pulse.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One object of the config tree and the checked reading of its values, each named in messages by
 * its path in pulse.json ({@code limits.maxBodyBytes}, or just {@code port} at the top).
 */
record JsonSection(JsonNode node, String prefix) {

  /** The top-level object, whose values are named by their key alone. */
  static JsonSection top(JsonNode tree) {
    return new JsonSection(tree, "");
  }

  /** The object under a top-level key; missing, it reads as empty and its values as missing. */
  JsonSection section(String name) {
    return new JsonSection(node.path(name), prefix + name + ".");
  }

  JsonNode path(String field) {
    return node.path(field);
  }

  /** The value's name in messages: its path in the file. */
  String label(String field) {
    return prefix + field;
  }

  int intIn(String field, int min, int max) {
    return intIn(label(field), field, min, max);
  }

  /** A whole number from min to max, named by label (which may add its environment variable). */
  int intIn(String label, String field, int min, int max) {
    JsonNode value = node.path(field);
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new ConfigException(label + " must be a whole number from " + min + " to " + max
          + ", got " + (value.isMissingNode() ? "nothing" : value.toString()));
    }
    int number = value.asInt();
    if (number < min || number > max) {
      throw new ConfigException(label + " must be from " + min + " to " + max + ", got " + number);
    }
    return number;
  }

  /** A non-empty string; missing or null, the fallback. */
  String text(String field, String fallback) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new ConfigException(label(field) + " must be a non-empty string, got " + value);
    }
    return value.asText();
  }

  /** The string, or null when the value is anything else (missing, null, a number). */
  String textOrNull(String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : null;
  }

  /** A switch; missing or null, the fallback. */
  boolean bool(String field, boolean fallback) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw new ConfigException(label(field) + " must be true or false, got " + value);
    }
    return value.asBoolean();
  }
}
