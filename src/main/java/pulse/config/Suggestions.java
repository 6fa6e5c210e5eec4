package pulse.config;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean ...?" for names a person typed: config keys, token scopes, option values. The
 * closest known name by edit distance, when it is close enough to be a likely typo.
 */
public final class Suggestions {
  private Suggestions() {}

  /** The known name nearest to {@code typed}, or null when none is within a typo of it. */
  public static String closest(String typed, Collection<String> known) {
    if (typed == null) {
      return null;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String name : known) {
      int distance = distance(typed.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
      // one edit for short names, up to a third of the length for longer ones, never over 3
      int allowed = Math.max(1, Math.min(3, name.length() / 3));
      if (distance <= allowed && distance < bestDistance) {
        best = name;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** {@code " (did you mean \"public\"?)"}, or "" when nothing known is close. */
  public static String didYouMean(String typed, Collection<String> known) {
    String best = closest(typed, known);
    return best == null ? "" : " (did you mean \"" + best + "\"?)";
  }

  /** Edit distance with adjacent swaps counting as one edit ("raed" is one edit from "read"). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
