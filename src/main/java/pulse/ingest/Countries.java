package pulse.ingest;

import java.util.Locale;
import java.util.Set;

/**
 * ISO 3166-1 alpha-2 country codes: validation and English display names, straight from the JDK's
 * locale data (no extra files).
 *
 * <p>"Valid" means exactly what {@link Locale#getISOCountries()} lists, so user-assigned codes
 * such as {@code XK} (Kosovo) and withdrawn ones such as {@code AN} are not valid.
 */
public final class Countries {

  private static final Set<String> ISO = Set.of(Locale.getISOCountries());

  private Countries() {}

  /**
   * True if {@code code} is exactly two upper-case letters A–Z and a current ISO 3166-1 alpha-2
   * code known to the JDK. Lower-case input is not valid; callers normalise first.
   */
  public static boolean isValid(String code) {
    if (code == null || code.length() != 2) {
      return false;
    }
    char a = code.charAt(0);
    char b = code.charAt(1);
    return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' && ISO.contains(code);
  }

  /**
   * English name of a country code, e.g. {@code "DE"} → {@code "Germany"}, or null if the code is
   * null, not a valid ISO code, or the JDK has no name for it. Lower-case input is accepted
   * ({@code "de"} → {@code "Germany"}).
   */
  public static String name(String code) {
    if (code == null || code.length() != 2) {
      return null;
    }
    String upper = code.toUpperCase(Locale.ROOT);
    if (!isValid(upper)) {
      return null;
    }
    String name = new Locale("", upper).getDisplayCountry(Locale.ENGLISH);
    return name.isEmpty() || name.equals(upper) ? null : name;
  }
}
