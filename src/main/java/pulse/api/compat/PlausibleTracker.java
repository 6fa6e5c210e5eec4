package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.Locale;
import pulse.api.IngestParts;
import pulse.ingest.IncomingEvent;
import pulse.ingest.IngestException;
import pulse.ingest.Refusal;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * POST /api/event: Plausible's tracker payload ({@code n} name, {@code u} URL, {@code d} domain,
 * {@code r} referrer, {@code p} props) into the /api/collect pipeline, so a site that runs
 * Plausible's script only changes its host. The site is the one tracking domain {@code d} (the
 * first that does, when {@code d} lists several). {@code pageview} is a pageview, Plausible's
 * {@code engagement} a heartbeat (the reader is still there), any other name a custom event.
 * Answers 202 "ok" as Plausible does.
 */
public final class PlausibleTracker extends TrackerEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  public PlausibleTracker(Sites sites, IngestParts ingest) {
    super(sites, ingest, "/api/event", "Content-Type", "");
  }

  @Override
  void answer(HttpServerResponse response) {
    response.setStatusCode(202).putHeader("Content-Type", "text/plain; charset=utf-8").end("ok");
  }

  /** The Plausible payload as an /api/collect event object. */
  @Override
  ObjectNode translate(JsonNode in) throws IngestException {
    if (!in.isObject()) {
      throw new IngestException(Refusal.INVALID, "body must be a JSON object");
    }
    String name = text(in, "", "n", true);
    String url = text(in, "", "u", true);
    String domains = text(in, "", "d", true);
    Site site = null;
    for (String domain : domains.split(",")) {
      site = sites.findByHost(domain.trim().toLowerCase(Locale.ROOT));
      if (site != null) {
        break;
      }
    }
    if (site == null) {
      throw new IngestException(Refusal.UNKNOWN_SITE, "no site tracks domain '"
          + domains.replaceAll("[^\\x20-\\x7e]", "") + "'");
    }
    ObjectNode out = JSON.createObjectNode().put("site", site.id()).put("url", url);
    String referrer = text(in, "", "r", false);
    if (referrer != null) {
      out.put("referrer", referrer);
    }
    switch (name) {
      case "pageview" -> out.put("type", IncomingEvent.PAGEVIEW);
      case "engagement" -> out.put("type", IncomingEvent.HEARTBEAT);
      default -> {
        out.put("type", IncomingEvent.CUSTOM).put("name", name);
        JsonNode props = props(in.get("p") != null ? in.get("p") : in.get("m"));
        if (props != null) {
          out.set("props", props);
        }
      }
    }
    return out;
  }

  /** Older scripts send the props as a JSON string, newer ones as an object. */
  private static JsonNode props(JsonNode p) throws IngestException {
    if (p == null || p.isNull() || p.isObject()) {
      return p;
    }
    if (p.isTextual()) {
      try {
        JsonNode parsed = JSON.readTree(p.asText());
        if (parsed != null && (parsed.isObject() || parsed.isNull())) {
          return parsed;
        }
      } catch (IOException e) {
        // answered below
      }
    }
    throw new IngestException(Refusal.INVALID, "p must be an object of properties");
  }
}
