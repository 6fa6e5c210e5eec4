package pulse.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse share shop} prints a dashboard link whose token reads shop's realtime figures and
 * nothing else, and (with --write) adds that token's hash to the sites file.
 */
class ShareCommandTest {
  static final String SITES = """
      {
        "sites": [
          {"id": "demo", "domains": ["localhost"], "public": true},
          {"id": "shop", "domains": ["shop.example.com"], "public": false,
           "aliases": ["site_shop"]},
          {"id": "blog", "domains": ["blog.example.com"], "public": false}
        ],
        "tokens": [
          {"sha256": "%s", "sites": ["blog"], "scopes": ["realtime:read"]}
        ]
      }
      """.formatted("cd".repeat(32));
  private static final Pattern LINK =
      Pattern.compile("(\\S+)/live/(\\w+)#token=(pk_[A-Za-z0-9]{32})\\n");
  private static final Pattern ENTRY = Pattern.compile("\\n  (\\{\"sha256\".*\\})\\n");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T23:30:00Z"),
      ZoneOffset.ofHours(2));

  @TempDir
  Path dir;
  Path file;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void sitesFile() throws IOException {
    file = dir.resolve("sites.json");
    Files.writeString(file, SITES);
  }

  private int share(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "share";
    System.arraycopy(args, 0, all, 1, args.length);
    return ShareCommand.run(all, Map.of("PULSE_SITES", file.toString(), "PULSE_PORT", "9090"),
        CLOCK, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsALinkWhoseTokenTheEntryStoresOnlyAsAHashForThatSiteAndScopeAlone()
      throws IOException {
    assertEquals(0, share("shop", "--base", "https://pulse.example.com/"), err());
    Matcher link = LINK.matcher(out());
    assertTrue(link.find(), out());
    assertEquals("https://pulse.example.com", link.group(1), "the base, without its last /");
    assertEquals("shop", link.group(2));
    String token = link.group(3);
    Matcher entry = ENTRY.matcher(out());
    assertTrue(entry.find(), out());
    assertFalse(entry.group(1).contains(token), "the entry holds no token text");
    assertTrue(entry.group(1).contains("\"note\": \"share link of shop, made 2026-12-01\""),
        entry.group(1));
    assertTrue(out().contains("Add this entry to the \"tokens\" array of your sites file ("
        + file + ") and restart Pulse"), out());
    assertEquals(SITES, Files.readString(file), "without --write the file is left alone");

    Sites withEntry = Sites.parse(SITES.replace("\"scopes\": [\"realtime:read\"]}",
        "\"scopes\": [\"realtime:read\"]},\n    " + entry.group(1)));
    ApiToken found = withEntry.findToken(token);
    assertNotNull(found, "the printed token matches the stored hash");
    assertTrue(found.boundOnlyTo("shop"));
    assertEquals(java.util.Set.of(ApiToken.REALTIME_READ), found.scopes());
  }

  @Test
  void writeAddsTheEntryToTheSitesFileKeepingTheRestAndSaysToRestart() throws IOException {
    assertEquals(0, share("site_shop", "--write"), err());
    Matcher link = LINK.matcher(out());
    assertTrue(link.find(), out());
    assertEquals("http://localhost:9090", link.group(1), "the default base is the local port");
    assertEquals("shop", link.group(2), "an alias links to the site's own id");
    Matcher entry = ENTRY.matcher(out());
    assertTrue(entry.find(), out());
    assertTrue(out().contains("Added its entry to the \"tokens\" array of " + file), out());
    assertTrue(out().contains("Restart Pulse to use it"), out());

    String written = Files.readString(file);
    assertEquals(SITES.replace("\"scopes\": [\"realtime:read\"]}\n",
        "\"scopes\": [\"realtime:read\"]},\n    " + entry.group(1) + "\n"), written);
    Sites sites = Sites.load(file);
    assertNotNull(sites.findToken(link.group(3)), "the printed token matches the stored hash");
    assertTrue(sites.findToken(link.group(3)).boundOnlyTo("shop"));

    // a second link is a second entry: each can be revoked alone
    out.reset();
    assertEquals(0, share("shop", "--write"), err());
    Matcher second = LINK.matcher(out());
    assertTrue(second.find(), out());
    Sites both = Sites.load(file);
    assertNotNull(both.findToken(link.group(3)));
    assertNotNull(both.findToken(second.group(3)));
  }

  @Test
  void anUnknownSiteIsAnErrorNamingTheSitesAndExitsTwo() throws IOException {
    assertEquals(2, share("shp", "--write"));
    assertEquals("unknown site 'shp' (did you mean \"shop\"?); the sites of " + file
        + ": demo, shop, blog\n", err());
    assertEquals("", out());
    assertEquals(SITES, Files.readString(file));
  }

  @Test
  void aPublicSiteNeedsNoTokenAndGetsItsPlainLink() throws IOException {
    assertEquals(0, share("demo", "--write"));
    assertEquals("demo is a public site: its dashboard opens for anyone, no token needed:\n"
        + "  http://localhost:9090/live/demo\n", out());
    assertEquals(SITES, Files.readString(file));
  }

  @Test
  void badArgumentsExitTwoWithTheUsage() {
    assertEquals(2, share());
    assertTrue(err().contains("usage: java -jar pulse.jar share <site>"), err());
    err.reset();
    assertEquals(2, share("shop", "--wirte"));
    assertTrue(err().startsWith("unknown option --wirte (did you mean \"--write\"?)"), err());
    err.reset();
    assertEquals(2, share("shop", "blog"));
    assertTrue(err().startsWith("one site per link"), err());
    err.reset();
    assertEquals(2, share("shop", "--base"));
    assertTrue(err().startsWith("--base needs a value"), err());
    err.reset();
    assertEquals(2, share("shop", "--base", "pulse.example.com"));
    assertTrue(err().startsWith("--base must be the http:// or https:// address"), err());
    assertEquals("", out());
  }

  @Test
  void aSitesFileThatCannotTakeTheEntryIsLeftAsItWasAndExitsOne() throws IOException {
    // "tokens": {} loads (as no tokens) but has no array to add to
    String odd = "{\"sites\": [{\"id\": \"shop\", \"domains\": [\"s.test\"]}], \"tokens\": {}}";
    Files.writeString(file, odd);
    assertEquals(1, share("shop", "--write"));
    assertTrue(err().contains("\"tokens\" in the sites file is not an array; fix it first; "
        + "nothing was changed"), err());
    assertEquals("", out(), "no link that would not work");
    assertEquals(odd, Files.readString(file));
  }

  @Test
  void aMissingOrBrokenSitesFileIsAConfigurationError() throws IOException {
    Files.delete(file);
    assertEquals(2, share("shop"));
    assertTrue(err().contains("configuration error: sites file (PULSE_SITES) " + file
        + " does not exist"), err());
    Files.writeString(file, "{\"sites\": [");
    err.reset();
    assertEquals(2, share("shop", "--write"));
    assertTrue(err().contains("configuration error"), err());
  }
}
