package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.NodePackages;

/**
 * Umami's official API client, {@code @umami/api-client} from npm, unchanged but for its base URL
 * (Pulse's, ending in /api) and a Pulse token: {@code getWebsiteActive} and {@code getRealtime}
 * against a site that chose Umami's current realtime shape. Every answer, errors included, is
 * checked against Umami's published schema (src/test/resources/contracts) with Ajv.
 */
@Tag("server")
class UmamiApiClientTest extends DropInHttpTest {
  private static final String CLIENT = "@umami/api-client@0.81.0";
  private static NodePackages client;

  /** Calls the client, validates each answer, prints one RESULT line of JSON. */
  private static final String SCRIPT = """
      const { UmamiClient, isUmamiApiError } = require('@umami/api-client');
      const Ajv = require('ajv');
      const schema = require(process.argv[4]);
      const ajv = new Ajv({ strict: false });
      ajv.addSchema(schema, 'umami');
      const check = (name, value) => {
        const ok = ajv.validate('umami#/definitions/' + name, value);
        return ok ? 'valid' : ajv.errorsText();
      };
      const [base, token, websiteId] = process.argv.slice(1);
      (async () => {
        const umami = new UmamiClient({ baseUrl: base + '/api', token });
        const active = await umami.getWebsiteActive(websiteId);
        const realtime = await umami.getRealtime({ websiteId, country: 'US' });
        let error;
        try {
          await new UmamiClient({ baseUrl: base + '/api', token: 'not-a-token' })
              .getWebsiteActive(websiteId);
        } catch (e) {
          error = { isUmamiApiError: isUmamiApiError(e), status: e.status, code: e.code,
              message: e.message, schema: check('ApiError', e.body) };
        }
        console.log('RESULT ' + JSON.stringify({
          active, activeSchema: check('ActiveVisitors', active),
          realtime, realtimeSchema: check('Realtime', realtime), error }));
      })().catch(e => { console.error(e); process.exit(1); });
      """;

  @BeforeAll
  static void installClient() throws Exception {
    client = NodePackages.install("npm-umami-api", CLIENT, "ajv@8.17.1");
  }

  @Test
  void getWebsiteActiveAndGetRealtimeReadPulseUnchanged() throws Exception {
    clock.set(Instant.parse("2026-11-23T14:10:00Z"));
    pageview("uma3", "https://uma3.example.com/old", "203.0.113.1", "FR");
    clock.set(Instant.parse("2026-11-23T14:31:00Z"));
    event("uma3", "https://uma3.example.com/pricing", "203.0.113.2", "US",
        "\"referrer\":\"https://www.google.com/\"");
    pageview("uma3", "https://uma3.example.com/", "203.0.113.3", "DE");
    clock.set(CompatHttpTest.NOW);

    String schema = Path.of("src/test/resources/contracts/umami-realtime.schema.json")
        .toAbsolutePath().toString();
    String output = client.node(SCRIPT, pulse.base(), UMA3_TOKEN, UMAMI3_UUID,
        schema);
    JsonNode result = null;
    for (String line : output.split("\n")) {
      if (line.startsWith("RESULT ")) {
        result = CompatHttpTest.parse(line.substring(7));
      }
    }
    assertTrue(result != null, "the client printed no result:\n" + output);

    assertEquals(CompatHttpTest.parse("{\"visitors\": 2}"), result.path("active"));
    assertEquals("valid", result.path("activeSchema").asText());

    JsonNode realtime = result.path("realtime");
    assertEquals("valid", result.path("realtimeSchema").asText(), realtime.toString());
    assertEquals(CompatHttpTest.parse("{\"US\": 1}"), realtime.path("countries"));
    assertEquals(CompatHttpTest.parse("{\"/pricing\": 1}"), realtime.path("urls"));
    assertEquals(CompatHttpTest.parse("{\"google.com\": 1}"), realtime.path("referrers"));

    JsonNode error = result.path("error");
    assertTrue(error.path("isUmamiApiError").asBoolean(), error.toString());
    assertEquals(401, error.path("status").asInt());
    assertEquals("unauthorized", error.path("code").asText());
    assertEquals("Unauthorized", error.path("message").asText());
    assertEquals("valid", error.path("schema").asText());
  }
}
