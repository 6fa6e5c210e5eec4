package pulse.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** `pulse token --site shop` prints a token once and an entry that stores only its hash. */
class TokenCommandTest {
  @Test
  void thePrintedEntryAcceptsThePrintedTokenForThatSiteOnly() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = TokenCommand.run(new String[] {"token", "--site", "shop", "--prefix", "vt_"},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, code);
    String text = out.toString(StandardCharsets.UTF_8);
    Matcher token = Pattern.compile("Token \\(shown once, keep it secret\\): (vt_[A-Za-z0-9]{32})")
        .matcher(text);
    assertTrue(token.find(), text);
    Matcher entry = Pattern.compile("(\\{\"sha256\".*\\})").matcher(text);
    assertTrue(entry.find(), text);
    assertTrue(!entry.group(1).contains(token.group(1)), "the entry holds no token text");

    Sites sites = Sites.parse("{\"sites\": [{\"id\": \"shop\", \"domains\": [\"shop.test\"]},"
        + "{\"id\": \"blog\", \"domains\": [\"blog.test\"]}], \"tokens\": [" + entry.group(1) + "]}");
    ApiToken found = sites.findToken(token.group(1));
    assertNotNull(found);
    assertTrue(found.coversSite("shop"));
    assertTrue(!found.coversSite("blog"));
    assertTrue(found.scopes().contains(ApiToken.REALTIME_READ));
  }

  @Test
  void badArgumentsExitTwoWithUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, TokenCommand.run(new String[] {"token"}, System.out, errStream));
    assertEquals(2, TokenCommand.run(new String[] {"token", "--site", "a:b"}, System.out, errStream));
    assertEquals(2, TokenCommand.run(new String[] {"token", "--bogus", "x"}, System.out, errStream));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage"));
  }

  @Test
  void aMistypedOptionOrScopeIsRefusedWithTheNearestOne() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(2, TokenCommand.run(new String[] {"token", "--sites", "shop"}, System.out,
        errStream));
    assertTrue(err.toString(StandardCharsets.UTF_8)
        .contains("unknown option --sites (did you mean \"--site\"?)"), err.toString());
    assertEquals(2, TokenCommand.run(
        new String[] {"token", "--site", "shop", "--scope", "realtime:raed"}, System.out, errStream));
    assertTrue(err.toString(StandardCharsets.UTF_8)
        .contains("unknown scope 'realtime:raed' (did you mean \"realtime:read\"?)"),
        err.toString());
  }
}
