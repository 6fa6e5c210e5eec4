package pulse.realtime;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed tickets that open a private site's stream: EventSource cannot send an
 * Authorization header, so a token holder trades the token for a ticket that goes in the URL.
 * The ticket is {@code base64url(site.expiry).base64url(HMAC-SHA256)}; every instance configured
 * with the same secret accepts it, and it names its one site.
 */
public final class StreamTickets {
  public static final long LIFETIME_MILLIS = 60_000;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final byte[] secret;

  public StreamTickets(byte[] secret) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the stream ticket secret needs at least 16 bytes");
    }
    this.secret = secret.clone();
  }

  public record Ticket(String text, long expiresAt) {}

  public Ticket issue(String siteId, long now) {
    long expiresAt = now + LIFETIME_MILLIS;
    String payload = siteId + "." + expiresAt;
    String text = ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
        + ENCODER.encodeToString(sign(payload));
    return new Ticket(text, expiresAt);
  }

  /** True when the ticket was signed here (or by a peer with the same secret), is for this site and has not expired. */
  public boolean opens(String ticket, String siteId, long now) {
    if (ticket == null || ticket.length() > 512) {
      return false;
    }
    int dot = ticket.indexOf('.');
    if (dot <= 0 || dot == ticket.length() - 1) {
      return false;
    }
    try {
      String payload = new String(DECODER.decode(ticket.substring(0, dot)), StandardCharsets.UTF_8);
      byte[] signature = DECODER.decode(ticket.substring(dot + 1));
      if (!MessageDigest.isEqual(signature, sign(payload))) {
        return false;
      }
      int split = payload.lastIndexOf('.');
      String site = payload.substring(0, split);
      long expiresAt = Long.parseLong(payload.substring(split + 1));
      return site.equals(siteId) && now <= expiresAt;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return false;
    }
  }

  private byte[] sign(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
