package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import pulse.api.IngestParts;
import pulse.ingest.EventParser;
import pulse.ingest.IncomingEvent;
import pulse.ingest.IngestException;
import pulse.ingest.Refusal;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * POST /api/send: Umami's tracker payload ({@code {"type": "event", "payload": {website,
 * hostname, url, referrer, title, screen, language, name?, data?}}}) into the /api/collect
 * pipeline. {@code website} is a site id or alias (a UUID alias works). Without {@code name} it
 * is a pageview, with one a custom event whose {@code data} are its props; without {@code url}
 * (as {@code @umami/node}'s {@code track(name, data)} sends it) it counts on the site's root.
 * {@code identify} calls and {@code performance} reports are answered and not stored.
 *
 * <p>Umami's script posts JSON cross-origin (so browsers send a preflight, which is answered) and
 * reads the answer as JSON, taking {@code disabled} and {@code cache} from it: Pulse answers
 * {@code 200 {}}, which leaves tracking on and asks for no cache header.
 */
public final class UmamiTracker extends TrackerEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();

  public UmamiTracker(Sites sites, IngestParts ingest) {
    super(sites, ingest, "/api/send", "Content-Type, x-umami-cache", "payload.");
  }

  @Override
  void answer(HttpServerResponse response) {
    response.setStatusCode(200).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end("{}");
  }

  /** The Umami payload as an /api/collect event object; null for an identify call. */
  @Override
  ObjectNode translate(JsonNode root) throws IngestException {
    if (!root.isObject()) {
      throw new IngestException(Refusal.INVALID, "body must be a JSON object");
    }
    String type = text(root, "", "type", true);
    if (!type.equals("event") && !type.equals("identify") && !type.equals("performance")) {
      throw new IngestException(Refusal.INVALID, "type must be event, identify or performance");
    }
    JsonNode payload = root.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new IngestException(Refusal.INVALID, "payload must be an object");
    }
    // identify calls and web-vitals reports (data-performance="true") are answered, not stored
    if (!type.equals("event")) {
      return null;
    }
    String website = text(payload, "payload.", "website", true);
    Site site = sites.find(website);
    if (site == null) {
      throw new IngestException(Refusal.UNKNOWN_SITE, "unknown website '"
          + website.replaceAll("[^A-Za-z0-9_-]", "") + "'");
    }
    String hostname = text(payload, "payload.", "hostname", false);
    String url = text(payload, "payload.", "url", false);
    if (url == null) {
      // @umami/node's track(name, data) sends neither: Umami records it on the site's root
      url = "https://" + (hostname != null ? hostname : site.firstDomain()) + "/";
    } else if (EventParser.httpUri(url) == null) {
      // older scripts send the path and query, with the host apart
      if (hostname == null || !url.startsWith("/")) {
        throw new IngestException(Refusal.INVALID,
            "payload.url must be an absolute http(s) URL, or a path with payload.hostname");
      }
      url = "https://" + hostname + url;
    }
    ObjectNode out = JSON.createObjectNode().put("site", site.id()).put("url", url);
    String referrer = text(payload, "payload.", "referrer", false);
    if (referrer != null) {
      out.put("referrer", referrer);
    }
    String title = text(payload, "payload.", "title", false);
    if (title != null) {
      out.put("title", title);
    }
    String name = text(payload, "payload.", "name", false);
    if (name == null) {
      out.put("type", IncomingEvent.PAGEVIEW);
    } else {
      out.put("type", IncomingEvent.CUSTOM).put("name", name);
      JsonNode data = payload.get("data");
      if (data != null && !data.isNull()) {
        out.set("props", data);
      }
    }
    return out;
  }
}
