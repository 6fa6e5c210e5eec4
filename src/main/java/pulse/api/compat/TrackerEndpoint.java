package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import pulse.http.CrossOrigin;
import pulse.http.HttpErrors;
import pulse.ingest.EventParser;
import pulse.ingest.IncomingEvent;
import pulse.ingest.IngestException;
import pulse.ingest.IngestHandler;
import pulse.site.Sites;

/**
 * The tracker endpoint of another product: its payload is translated into an /api/collect event
 * object, validated by the same parser and stored by the same pipeline; only the translation and
 * the success answer are the product's own.
 */
abstract class TrackerEndpoint {
  protected final Sites sites;
  private final EventParser parser;
  private final IngestHandler ingest;
  private final String path;
  private final String allowHeaders;
  private final String where;

  /**
   * @param allowHeaders what the CORS preflight allows
   * @param where how validation messages name the translated fields ("payload." for Umami)
   */
  TrackerEndpoint(Sites sites, EventParser parser, IngestHandler ingest, String path,
      String allowHeaders, String where) {
    this.sites = sites;
    this.parser = parser;
    this.ingest = ingest;
    this.path = path;
    this.allowHeaders = allowHeaders;
    this.where = where;
  }

  /** The payload as an /api/collect event object; null to answer without storing anything. */
  abstract ObjectNode translate(JsonNode body) throws IngestException;

  /** The success answer the product's script expects. */
  abstract void answer(HttpServerResponse response);

  /**
   * OPTIONS (a 204 preflight) and POST: CORS for any origin, JSON or text/plain bodies up to
   * maxBody bytes (refused by type before the body is read, as /api/collect does).
   */
  public void mount(Router router, int maxBody) {
    router.options(path).handler(CrossOrigin.preflight("POST, OPTIONS", allowHeaders));
    router.post(path).handler(ctx -> {
      CrossOrigin.allowAnyOrigin(ctx.response());
      ingest.checkContentType(ctx);
    });
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBody))
        .handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    IncomingEvent event;
    try {
      ObjectNode collect = translate(IngestHandler.readJson(ctx.body().buffer()));
      if (collect == null) {
        answer(ctx.response());
        return;
      }
      event = parser.parse(collect, where);
    } catch (IngestException e) {
      HttpErrors.send(ctx, e.status(), e.getMessage());
      return;
    }
    ingest.ingest(ctx, List.of(event), this::answer);
  }

  /** A string field, or null when absent or JSON null; "<where><field> must be a string" else. */
  static String text(JsonNode node, String where, String field, boolean required)
      throws IngestException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IngestException(400, where + field + " is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new IngestException(400, where + field + " must be a string");
    }
    if (required && value.asText().isBlank()) {
      throw new IngestException(400, where + field + " is required");
    }
    return value.asText();
  }
}
