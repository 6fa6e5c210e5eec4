package pulse.site;

import java.security.SecureRandom;
import java.util.List;

/**
 * A freshly made read token: its text, shown once, and the sites-file entry that stores only its
 * SHA-256. The {@code token} and {@code share} commands both make theirs here.
 *
 * @param text the token itself, for the Authorization header or a share link
 * @param entry the JSON object to add to the sites file's "tokens" array, on one line
 */
public record NewToken(String text, String entry) {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  /** 32 characters of 62: about 190 bits, beyond guessing. */
  static final int LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * @param note a reminder for people reading the sites file (what the token is for), or null
   */
  public static NewToken create(String prefix, List<String> sites, List<String> scopes,
      String note) {
    String text = prefix + random(LENGTH);
    StringBuilder entry = new StringBuilder("{\"sha256\": \"")
        .append(Sites.hex(Sites.sha256(text))).append("\", \"sites\": ").append(jsonList(sites))
        .append(", \"scopes\": ").append(jsonList(scopes));
    if (note != null) {
      entry.append(", \"note\": ").append(jsonString(note));
    }
    return new NewToken(text, entry.append('}').toString());
  }

  static String random(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  private static String jsonList(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (String v : values) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(jsonString(v));
    }
    return sb.append(']').toString();
  }

  private static String jsonString(String value) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
