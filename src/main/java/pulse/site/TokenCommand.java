package pulse.site;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import pulse.config.Suggestions;

/**
 * {@code pulse token --site shop [--scope realtime:read] [--prefix vt_]}: prints a new random token
 * once, with the sites-file entry that stores only its hash.
 */
public final class TokenCommand {
  private TokenCommand() {}

  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> sites = new ArrayList<>();
    List<String> scopes = new ArrayList<>();
    String prefix = "pk_";
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (arg) {
        case "--site" -> sites.add(value);
        case "--scope" -> scopes.add(value);
        case "--prefix" -> prefix = value;
        default -> {
          err.println("unknown option " + arg
              + Suggestions.didYouMean(arg, List.of("--site", "--scope", "--prefix")));
          err.println("usage: java -jar pulse.jar token --site <id|*> [--site ...] "
              + "[--scope realtime:read|analytics:read|collect] [--prefix vt_|df_|dft_]");
          return 2;
        }
      }
      if (value == null) {
        err.println(arg + " needs a value");
        return 2;
      }
      i++;
    }
    if (sites.isEmpty()) {
      err.println("usage: java -jar pulse.jar token --site <id|*> [--scope ...] [--prefix ...]");
      return 2;
    }
    for (String s : sites) {
      if (!s.equals("*") && !Site.validId(s)) {
        err.println("invalid site id '" + s + "'");
        return 2;
      }
    }
    for (String scope : scopes) {
      if (!ApiToken.SCOPES.contains(scope)) {
        err.println("unknown scope '" + scope + "'" + Suggestions.didYouMean(scope, ApiToken.SCOPES)
            + "; known: " + String.join(", ", ApiToken.SCOPES));
        return 2;
      }
    }
    if (scopes.isEmpty()) {
      scopes.add(ApiToken.REALTIME_READ);
    }
    NewToken token = NewToken.create(prefix, sites, scopes, null);
    out.println("Token (shown once, keep it secret): " + token.text());
    out.println("Add this entry to the \"tokens\" array of your sites file:");
    out.println("  " + token.entry());
    return 0;
  }
}
