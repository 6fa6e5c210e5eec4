package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import pulse.realtime.StreamTickets.Ticket;
import pulse.testing.MutableClock;

class StreamTicketsTest {
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(
      StandardCharsets.UTF_8);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T14:00:00Z"));
  private final StreamTickets tickets = new StreamTickets(SECRET);

  @Test
  void aFreshTicketOpensItsSite() {
    Ticket ticket = tickets.issue("shop", clock.millis());
    assertEquals(clock.millis() + StreamTickets.LIFETIME_MILLIS, ticket.expiresAt());
    assertTrue(tickets.opens(ticket.text(), "shop", clock.millis()));
  }

  @Test
  void aTicketOpensUntilItsExpiryAndNotAMillisecondLater() {
    Ticket ticket = tickets.issue("shop", clock.millis());
    clock.advanceMillis(StreamTickets.LIFETIME_MILLIS);
    assertTrue(tickets.opens(ticket.text(), "shop", clock.millis()), "at the expiry");
    clock.advanceMillis(1);
    assertFalse(tickets.opens(ticket.text(), "shop", clock.millis()), "after the expiry");
  }

  @Test
  void aTicketOpensOnlyItsOwnSite() {
    Ticket ticket = tickets.issue("shop", clock.millis());
    assertFalse(tickets.opens(ticket.text(), "blog", clock.millis()));
    assertFalse(tickets.opens(ticket.text(), "sho", clock.millis()));
    assertFalse(tickets.opens(ticket.text(), "shop2", clock.millis()));
  }

  @Test
  void aPeerWithTheSameSecretAcceptsItAndOneWithAnotherSecretDoesNot() {
    Ticket ticket = tickets.issue("shop", clock.millis());
    assertTrue(new StreamTickets(SECRET.clone()).opens(ticket.text(), "shop", clock.millis()));
    byte[] other = SECRET.clone();
    other[0] ^= 1;
    assertFalse(new StreamTickets(other).opens(ticket.text(), "shop", clock.millis()));
  }

  @Test
  void aTamperedTicketIsRefused() {
    Ticket ticket = tickets.issue("shop", clock.millis());
    String text = ticket.text();
    int dot = text.indexOf('.');
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

    // A later expiry with the old signature.
    String longer = encoder.encodeToString(("shop." + (ticket.expiresAt() + 3_600_000))
        .getBytes(StandardCharsets.UTF_8)) + text.substring(dot);
    assertFalse(tickets.opens(longer, "shop", clock.millis()));

    // Another site with the old signature.
    String otherSite = encoder.encodeToString(("blog." + ticket.expiresAt())
        .getBytes(StandardCharsets.UTF_8)) + text.substring(dot);
    assertFalse(tickets.opens(otherSite, "blog", clock.millis()));

    // One character of the signature changed.
    char last = text.charAt(text.length() - 1);
    String flipped = text.substring(0, text.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertNotEquals(text, flipped);
    assertFalse(tickets.opens(flipped, "shop", clock.millis()));
  }

  @Test
  void malformedInputIsRefusedWithoutThrowing() {
    Ticket ticket = tickets.issue("shop", clock.millis());
    String text = ticket.text();
    String payloadOnly = text.substring(0, text.indexOf('.'));
    for (String bad : List.of("", ".", "..", "abc", "abc.", ".abc", "a.b.c", "%%%.%%%",
        "!!!!.????", payloadOnly, payloadOnly + ".", text + ".", text + "x", "x" + text,
        text.replace('.', '_'), "é.é", "\u0000.\u0000", "x".repeat(513),
        text + "A".repeat(600),
        // Correctly signed, but the payload is not "site.expiry".
        signed("no-dot-in-payload"), signed("shop.not-a-number"), signed("shop."),
        signed(".123"), signed("shop.99999999999999999999999"))) {
      assertFalse(tickets.opens(bad, "shop", clock.millis()), bad);
    }
    assertFalse(tickets.opens(null, "shop", clock.millis()));
    assertFalse(tickets.opens(text, null, clock.millis()));
  }

  /** A ticket text with a valid signature over any payload, as a holder of the secret makes. */
  private static String signed(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
      Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
      return encoder.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
          + encoder.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theTestSignsLikeStreamTickets() {
    // Guards the malformed-payload cases above: a well-formed payload signed here opens.
    long expiry = clock.millis() + 1_000;
    assertTrue(tickets.opens(signed("shop." + expiry), "shop", clock.millis()));
  }

  @Test
  void aSecretUnder16BytesIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StreamTickets(new byte[15]));
    assertEquals("the stream ticket secret needs at least 16 bytes", e.getMessage());
  }
}
