package pulse.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Referrer spam: domains that send fake visits only to appear in analytics referrer lists. Events
 * referred by one of them (or a subdomain) are answered and never stored, like bots.
 */
public final class ReferrerSpam {
  private final Set<String> domains;

  private ReferrerSpam(Set<String> domains) {
    this.domains = domains;
  }

  /** The list shipped in resources/referrer-spam.txt (one domain a line, # for comments). */
  public static ReferrerSpam bundled() {
    Set<String> domains = new HashSet<>();
    try (InputStream in = ReferrerSpam.class.getResourceAsStream("/referrer-spam.txt");
        BufferedReader reader = new BufferedReader(
            new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String domain = line.strip().toLowerCase(Locale.ROOT);
        if (!domain.isEmpty() && !domain.startsWith("#")) {
          domains.add(domain);
        }
      }
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("cannot read referrer-spam.txt", e);
    }
    return new ReferrerSpam(Set.copyOf(domains));
  }

  /** True when the referrer domain (already without "www.") is a spam domain or under one. */
  public boolean isSpam(String referrerDomain) {
    if (referrerDomain == null || referrerDomain.isEmpty()) {
      return false;
    }
    String d = referrerDomain;
    while (true) {
      if (domains.contains(d)) {
        return true;
      }
      int dot = d.indexOf('.');
      if (dot < 0) {
        return false;
      }
      d = d.substring(dot + 1);
    }
  }
}
