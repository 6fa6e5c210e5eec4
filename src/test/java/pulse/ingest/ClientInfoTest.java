package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulse.http.ProxyTrust;

class ClientInfoTest {
  private static final ProxyTrust TRUSTED = ProxyTrust.of(List.of("10.0.0.0/8"));

  @Test
  void countryHeadersAreReadOnlyFromATrustedProxy() {
    Map<String, String> headers = Map.of("CF-IPCountry", "de");
    assertEquals("DE", ClientInfo.countryHeader(TRUSTED, "10.0.0.1", headers::get));
    assertNull(ClientInfo.countryHeader(TRUSTED, "203.0.113.9", headers::get),
        "a client that is no trusted proxy cannot choose its country");
    assertNull(ClientInfo.countryHeader(ProxyTrust.NONE, "10.0.0.1", headers::get));
    assertEquals("FR", ClientInfo.countryHeader(TRUSTED, "10.0.0.1",
        Map.of("CF-IPCountry", "XX", "X-Country-Code", "fr")::get));
  }
}
