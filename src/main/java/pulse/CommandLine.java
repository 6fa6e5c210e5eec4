package pulse;

import java.util.List;
import java.util.Locale;
import pulse.config.ConfigException;
import pulse.config.Suggestions;

/** What {@code java -jar pulse.jar} accepts on its command line, and the usage text it prints. */
public record CommandLine(boolean demo, boolean help) {
  static final List<String> OPTIONS = List.of("--demo", "--help", "-h");
  static final List<String> LOG_FORMATS = List.of("text", "json");

  public static final String USAGE = """
      usage: java -jar pulse.jar [--demo]
             java -jar pulse.jar token --site <id|*> [--scope realtime:read|analytics:read] \
      [--prefix pk_|vt_|df_|dft_]
             java -jar pulse.jar share <site> [--base https://pulse.example.com] [--write]
             java -jar pulse.jar --help

      options:
        --demo               synthetic visitors on the demo site (as PULSE_DEMO=true)
        --help, -h           this text

      commands:
        token                prints a new read token once, and the sites-file entry of its hash
        share <site>         prints a link to a private site's live dashboard that opens without
                             asking for a token (a new token of that site in its #fragment);
                             --write adds its entry to the sites file (restart Pulse to use it)

      environment (each overrides config/pulse.json; the README's Configuration has them all):
        PULSE_CONFIG         another config file, merged over the defaults (config/pulse.json)
        PULSE_PORT           the port, 0 to 65535 (default 8080)
        PULSE_REDIS_URL      redis://[:password@]host:port, comma-separated for a Redis Cluster
                             (default: the embedded store, saved to PULSE_DATA_DIR)
        PULSE_SITES          the sites and tokens file (default config/sites.json)
        PULSE_TRUST_PROXY    true: client IP from X-Forwarded-For, country from CF-IPCountry
        PULSE_ADMIN_TOKEN    guards /metrics (at least 16 characters)
        PULSE_TICKET_SECRET  stream-ticket secret, the same on every instance (16+ characters)
        PULSE_GEOIP_DB       IP-to-country .mmdb file (default data/geoip/country.mmdb)
        PULSE_DATA_DIR       where the embedded store saves its day figures (default data;
                             empty: saves nothing)
        PULSE_PUBLIC_URL     the https:// address Pulse is reached at (links in alerts, share)
        PULSE_DEMO           true: as --demo
        PULSE_LOG_FORMAT     text (default) or json: one JSON object per log line
      """;

  /** The options of a server start (not the {@code token} command). */
  public static CommandLine parse(String[] args) {
    boolean demo = false;
    boolean help = false;
    for (String arg : args) {
      switch (arg) {
        case "--demo" -> demo = true;
        case "--help", "-h" -> help = true;
        default -> throw new ConfigException("unknown option '" + arg + "'"
            + Suggestions.didYouMean(arg, OPTIONS) + "; java -jar pulse.jar --help lists them");
      }
    }
    return new CommandLine(demo, help);
  }

  /** PULSE_LOG_FORMAT: true for json, false for text or unset; anything else is refused. */
  public static boolean jsonLogs(String format) {
    if (format == null || format.isBlank()) {
      return false;
    }
    String f = format.trim().toLowerCase(Locale.ROOT);
    if (!LOG_FORMATS.contains(f)) {
      throw new ConfigException("PULSE_LOG_FORMAT must be text or json, got '" + format + "'"
          + Suggestions.didYouMean(f, LOG_FORMATS));
    }
    return f.equals("json");
  }
}
