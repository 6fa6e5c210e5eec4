package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import pulse.http.CrossOrigin;
import pulse.api.IngestParts;
import pulse.ingest.ClientRequest;
import pulse.ingest.IncomingEvent;
import pulse.ingest.IngestException;
import pulse.ingest.IngestBody;
import pulse.ingest.Refusal;
import pulse.site.Sites;

/**
 * The tracker endpoint of another product: its payload is translated into an /api/collect event
 * object, validated by the same parser and stored by the same pipeline; only the translation and
 * the success answer are the product's own.
 */
abstract class TrackerEndpoint {
  protected final Sites sites;
  private final IngestParts ingest;
  private final String path;
  private final String allowHeaders;
  private final String where;

  /**
   * @param allowHeaders what the CORS preflight allows
   * @param where how validation messages name the translated fields ("payload." for Umami)
   */
  TrackerEndpoint(Sites sites, IngestParts ingest, String path, String allowHeaders,
      String where) {
    this.sites = sites;
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
   * the body limit (refused by type before the body is read, as /api/collect does).
   */
  public void mount(Router router) {
    router.options(path).handler(CrossOrigin.preflight("POST, OPTIONS", allowHeaders));
    router.post(path).handler(ctx -> {
      CrossOrigin.allowAnyOrigin(ctx.response());
      ingest.answers().checkContentType(ctx);
    });
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(ingest.maxBodyBytes()))
        .handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    IncomingEvent event;
    try {
      ObjectNode collect = translate(IngestBody.json(ctx.body().buffer()));
      if (collect == null) {
        answer(ctx.response());
        return;
      }
      event = ingest.parser().parse(collect, where);
    } catch (IngestException e) {
      ingest.answers().answer(ctx, e.outcome(), r -> {});
      return;
    }
    ingest.pipeline().ingest(List.of(event), ClientRequest.of(ctx.request(), ingest.proxies()))
        .onSuccess(outcome -> ingest.answers().answer(ctx, outcome, this::answer));
  }

  /** A string field, or null when absent or JSON null; "<where><field> must be a string" else. */
  static String text(JsonNode node, String where, String field, boolean required)
      throws IngestException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new IngestException(Refusal.INVALID, where + field + " is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new IngestException(Refusal.INVALID, where + field + " must be a string");
    }
    if (required && value.asText().isBlank()) {
      throw new IngestException(Refusal.INVALID, where + field + " is required");
    }
    return value.asText();
  }
}
