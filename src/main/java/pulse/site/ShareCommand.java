package pulse.site;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pulse.config.ConfigException;
import pulse.config.ConfigLoader;
import pulse.config.PulseConfig;
import pulse.config.Suggestions;

/**
 * {@code pulse share SITE [--base https://pulse.example.com] [--write]}: a link to the live
 * dashboard of a private site that opens without asking for a token. The link carries a new token
 * that reads that one site's realtime figures, in the URL's fragment ({@code #token=...}), which
 * browsers never send to a server or put in a Referer. The sites file keeps only its hash, so
 * deleting the entry revokes the link.
 */
public final class ShareCommand {
  static final String USAGE =
      "usage: java -jar pulse.jar share <site> [--base https://pulse.example.com] [--write]";
  private static final List<String> OPTIONS = List.of("--base", "--write");

  private ShareCommand() {}

  /**
   * @param env the environment, for the sites file (PULSE_SITES, or PULSE_CONFIG's sitesFile)
   *     and the default base address (PULSE_PUBLIC_URL, else http://localhost: and PULSE_PORT)
   * @param clock dates the note of the new entry
   * @return 0 when the link was made, 2 for bad arguments or an unknown site, 1 when the sites
   *     file could not be written
   */
  public static int run(String[] args, Map<String, String> env, Clock clock, PrintStream out,
      PrintStream err) {
    String siteArg = null;
    String base = null;
    boolean write = false;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--write")) {
        write = true;
      } else if (arg.equals("--base")) {
        if (i + 1 >= args.length) {
          err.println("--base needs a value, such as https://pulse.example.com");
          return 2;
        }
        base = args[++i];
      } else if (arg.startsWith("-")) {
        err.println("unknown option " + arg + Suggestions.didYouMean(arg, OPTIONS));
        err.println(USAGE);
        return 2;
      } else if (siteArg == null) {
        siteArg = arg;
      } else {
        err.println("one site per link: '" + siteArg + "' and '" + arg + "' were given");
        err.println(USAGE);
        return 2;
      }
    }
    if (siteArg == null) {
      err.println(USAGE);
      return 2;
    }
    PulseConfig config;
    Sites sites;
    try {
      config = ConfigLoader.load(env);
      sites = Sites.load(config.sitesFile());
    } catch (ConfigException e) {
      err.println("pulse: configuration error: " + e.getMessage());
      return 2;
    }
    Path file = config.sitesFile();
    if (base == null) {
      base = config.server().publicUrl() != null ? config.server().publicUrl()
          : "http://localhost:" + config.server().port();
    } else if (!validBase(base)) {
      err.println("--base must be the http:// or https:// address Pulse is reached at, such as "
          + "https://pulse.example.com; got '" + base + "'");
      return 2;
    }
    base = base.replaceAll("/+$", "");
    Site site = sites.find(siteArg);
    if (site == null) {
      err.println(unknownSite(siteArg, sites, file));
      return 2;
    }
    String dashboard = base + "/live/" + site.id();
    if (site.isPublic()) {
      out.println(site.id()
          + " is a public site: its dashboard opens for anyone, no token needed:");
      out.println("  " + dashboard);
      return 0;
    }
    if (write && !Files.isRegularFile(file)) {
      err.println("the sites file " + file + " does not exist; --write adds to an existing one "
          + "(PULSE_SITES names it)");
      return 2;
    }
    NewToken token = NewToken.create("pk_", List.of(site.id()),
        List.of(ApiToken.REALTIME_READ), "share link of " + site.id() + ", made "
            + LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    if (write) {
      String failure = addToFile(file, token);
      if (failure != null) {
        err.println(failure + "; nothing was changed");
        return 1;
      }
    }
    out.println("Share link of " + site.id() + " (shown once; anyone with it sees the site's live "
        + "figures, nothing else):");
    out.println("  " + dashboard + "#token=" + token.text());
    if (write) {
      out.println("Added its entry to the \"tokens\" array of " + file + ":");
      out.println("  " + token.entry());
      out.println("Restart Pulse to use it: Pulse reads the sites file when it starts.");
    } else {
      out.println("Add this entry to the \"tokens\" array of your sites file (" + file
          + ") and restart Pulse:");
      out.println("  " + token.entry());
    }
    out.println("To revoke the link, delete the entry and restart Pulse.");
    return 0;
  }

  /** Adds the token's entry to the sites file; null when done, else what went wrong. */
  private static String addToFile(Path file, NewToken token) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String edited = SitesFileEdit.withToken(text, token.entry());
      if (Sites.parse(edited).findToken(token.text()) == null) {
        // never replace a working file with one that would not hold the new token
        return "cannot add the token to " + file + ": the edited file would not hold it";
      }
      SitesFileEdit.replace(file, edited);
      return null;
    } catch (ConfigException e) {
      return "cannot add the token to " + file + ": " + e.getMessage();
    } catch (IOException e) {
      return "cannot write " + file + ": " + e;
    }
  }

  private static boolean validBase(String base) {
    try {
      URI uri = new URI(base);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null && uri.getQuery() == null && uri.getFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String unknownSite(String id, Sites sites, Path file) {
    List<String> ids = new ArrayList<>();
    for (Site s : sites.all()) {
      ids.add(s.id());
    }
    return "unknown site '" + id + "'" + Suggestions.didYouMean(id, ids) + "; the sites of "
        + file + ": " + (ids.isEmpty() ? "none" : String.join(", ", ids));
  }
}
