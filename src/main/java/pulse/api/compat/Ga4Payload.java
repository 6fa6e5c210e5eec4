package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import pulse.ingest.Countries;
import pulse.ingest.IncomingEvent;
import pulse.ingest.IngestException;
import pulse.ingest.Refusal;
import pulse.ingest.UserAgents;
import pulse.site.Site;

/**
 * A GA4 Measurement Protocol body as /api/collect event objects, with what it says of its
 * visitor: {@code client_id} (the visitor, hashed with the day's salt), {@code device},
 * {@code user_location.country_id} and {@code ip_override}. {@code page_view} is a pageview,
 * {@code user_engagement} a heartbeat (with its engaged time), GA's automatic events
 * (session_start, first_visit, ...) are not stored, any other event is a custom event whose
 * params (less GA's own) are its props.
 */
record Ga4Payload(List<ObjectNode> events, String clientId, UserAgents.Agent device,
    String country, String ipOverride) {
  // compiled once: every event of every request is checked against them
  private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,39}");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,12}");

  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_EVENTS = 25;
  private static final Set<String> AUTOMATIC = Set.of("session_start", "first_visit",
      "first_open", "app_remove", "os_update", "app_update", "app_clear_data");
  /** GA's own params: read into the event's fields or ignored, never props. */
  private static final Set<String> OWN_PARAMS = Set.of("page_location", "page_title",
      "page_referrer", "engagement_time_msec", "session_id", "debug_mode", "page_path",
      "timestamp_micros", "language", "screen_resolution");
  private static final Map<String, String> DEVICES = Map.of("desktop", "desktop",
      "mobile", "mobile", "tablet", "tablet", "smart tv", "desktop");

  static Ga4Payload read(JsonNode body, Site site) throws IngestException {
    if (body == null || !body.isObject()) {
      throw invalid("the body must be a JSON object");
    }
    String clientId = body.path("client_id").isTextual() ? body.path("client_id").asText() : null;
    if (clientId == null || clientId.isBlank() || clientId.length() > 256) {
      throw invalid("client_id must be a string of 1 to 256 characters");
    }
    JsonNode list = body.path("events");
    if (!list.isArray() || list.isEmpty() || list.size() > MAX_EVENTS) {
      throw invalid("events must be an array of 1 to " + MAX_EVENTS + " events");
    }
    List<ObjectNode> events = new ArrayList<>();
    int i = 0;
    for (JsonNode e : list) {
      ObjectNode event = event(e, site, "events[" + i++ + "].");
      if (event != null) {
        events.add(event);
      }
    }
    JsonNode location = body.path("user_location").path("country_id");
    String country = location.isTextual() && Countries.isValid(location.asText())
        ? location.asText().toUpperCase(Locale.ROOT) : null;
    String ip = body.path("ip_override").isTextual() ? body.path("ip_override").asText() : null;
    return new Ga4Payload(events, clientId, device(body.path("device")), country, ip);
  }

  private static ObjectNode event(JsonNode e, Site site, String where) throws IngestException {
    String name = e.path("name").asText("");
    if (!EVENT_NAME.matcher(name).matches()) {
      throw invalid(where + "name must start with a letter and hold at most 40 letters, digits "
          + "and underscores");
    }
    if (AUTOMATIC.contains(name)) {
      return null;
    }
    JsonNode params = e.path("params");
    if (!params.isMissingNode() && !params.isObject()) {
      throw invalid(where + "params must be an object");
    }
    String location = params.path("page_location").asText("");
    ObjectNode out = JSON.createObjectNode().put("site", site.id())
        .put("url", location.isEmpty() ? "https://" + site.firstDomain() + "/" : location);
    copyText(params, "page_title", out, "title");
    copyText(params, "page_referrer", out, "referrer");
    JsonNode engaged = params.path("engagement_time_msec");
    if (engaged.isNumber()
        || (engaged.isTextual() && WHOLE_NUMBER.matcher(engaged.asText()).matches())) {
      out.put("engaged", engaged.asLong());
    }
    switch (name) {
      case "page_view" -> out.put("type", IncomingEvent.PAGEVIEW);
      case "user_engagement" -> out.put("type", IncomingEvent.HEARTBEAT);
      default -> {
        out.put("type", IncomingEvent.CUSTOM).put("name", name);
        ObjectNode props = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> p = it.next();
          if (!OWN_PARAMS.contains(p.getKey()) && p.getValue().isValueNode()) {
            props.set(p.getKey(), p.getValue());
          }
        }
        if (!props.isEmpty()) {
          out.set("props", props);
        }
      }
    }
    return out;
  }

  private static void copyText(JsonNode params, String from, ObjectNode out, String to) {
    if (params.path(from).isTextual() && !params.path(from).asText().isEmpty()) {
      out.put(to, params.path(from).asText());
    }
  }

  /** The sender's device fields as Pulse's browser, OS and device class; never a bot. */
  private static UserAgents.Agent device(JsonNode d) {
    String category = d.path("category").asText("").toLowerCase(Locale.ROOT);
    return new UserAgents.Agent(d.path("browser").asText(""),
        d.path("operating_system").asText(""), DEVICES.getOrDefault(category, ""), false);
  }

  private static IngestException invalid(String message) {
    return new IngestException(Refusal.INVALID, message);
  }
}
