package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LiteralScannerTest {

  @Test
  void guardsAreExtractedConservatively() {
    assertEquals(List.of(List.of("firefox/")), LiteralScanner.requiredClauses("(Firefox)/(\\d+)"));
    assertEquals(List.of(List.of("googlebot", "bingbot")),
        LiteralScanner.requiredClauses("(Googlebot|bingbot)/"));
    assertEquals(List.of(List.of("spider")), LiteralScanner.requiredClauses("[Ss][Pp]ider"));
    assertEquals(List.of(List.of("foo"), List.of("baz")),
        LiteralScanner.requiredClauses("foo(?:bar)?.baz"));
    assertEquals(List.of(List.of("mobile"), List.of("ab")),
        LiteralScanner.requiredClauses("ab+c.{0,9}Mobile"));
    // An optional branch, a one-letter literal or unsupported syntax gives no guard.
    assertEquals(List.of(), LiteralScanner.requiredClauses("(Chrome|)"));
    assertEquals(List.of(), LiteralScanner.requiredClauses("a|bcd"));
    assertEquals(List.of(), LiteralScanner.requiredClauses("(?i)chrome"));
    assertEquals(List.of(), LiteralScanner.requiredClauses("(?=chrome)x"));
    assertEquals(List.of(), LiteralScanner.requiredClauses("\\Qchrome\\E"));
    assertEquals(List.of(), LiteralScanner.requiredClauses("chrom(e"));
    assertEquals(List.of(), LiteralScanner.requiredClauses(null));
  }


  @Test
  void requiredLiteralsOfUapStyleRules() {
    // An optional letter ends the literal before it; a one-character literal is no guard.
    assertEquals(List.of(List.of("edg")), LiteralScanner.requiredClauses("(Edge?)/(\\d+)"));
    // Escaped punctuation is literal text.
    assertEquals(List.of(List.of("mozilla/5.0 (compatible; msie")),
        LiteralScanner.requiredClauses("Mozilla/5\\.0 \\(compatible; MSIE"));
    // A group that matches one fixed string joins the text around it.
    assertEquals(List.of(List.of("opera mini")), LiteralScanner.requiredClauses("(Opera) Mini"));
    // Alternatives inside a non-capturing group give one clause of either literal.
    assertEquals(List.of(List.of("chrome", "chromium")),
        LiteralScanner.requiredClauses("(?:Chrome|Chromium)/"));
    // A character class splits the text; the longest shortest-literal comes first.
    assertEquals(List.of(List.of("android "), List.of("; sm-t")),
        LiteralScanner.requiredClauses("Android [0-9]+; (SM-T)"));
    assertEquals(List.of(List.of("firefox", "fennec"), List.of("mobi")),
        LiteralScanner.requiredClauses("Mobi.+(Firefox|Fennec)"));
    // A repeated group still requires its text once.
    assertEquals(List.of(List.of("ab"), List.of("cd")),
        LiteralScanner.requiredClauses("(?:ab){2}cd"));
    // Non-ASCII literals are not used as guards (lower-casing them is locale-sensitive).
    assertEquals(List.of(), LiteralScanner.requiredClauses("\u00dcberBrowser"));
  }

  /** Every string a regex matches contains a literal of each required clause. */
  @Test
  void requiredLiteralsOccurInEveryMatch() {
    String[][] cases = {
        {"(Edge?)/(\\d+)", "Mozilla/5.0 Edg/124.0"},
        {"(Edge?)/(\\d+)", "Edge/18"},
        {"(?:Chrome|Chromium)/", "Chromium/99"},
        {"Mobi.+(Firefox|Fennec)", "Mobile; rv:41.0) Gecko/41.0 Fennec/41.0"},
        {"[Ss][Pp]ider", "Mozilla/5.0 (compatible; sPider)"},
        {"(Googlebot|bingbot)/", "Mozilla/5.0 (compatible; bingbot/2.0)"},
        {"Android [0-9]+; (SM-T)", "Mozilla/5.0 (Linux; Android 13; SM-T970)"},
    };
    for (String[] c : cases) {
      assertTrue(Pattern.compile(c[0]).matcher(c[1]).find(), c[0] + " should match " + c[1]);
      String lower = c[1].toLowerCase(Locale.ROOT);
      for (List<String> clause : LiteralScanner.requiredClauses(c[0])) {
        assertTrue(clause.stream().anyMatch(lower::contains), c[0] + ": " + clause);
      }
    }
  }
}
