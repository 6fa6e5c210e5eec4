package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Consumer;
import pulse.ingest.IngestException;
import pulse.ingest.IngestHandler;

/** What the tracker endpoints of other products share: routes, CORS and payload field reading. */
final class TrackerPayloads {
  private TrackerPayloads() {}

  /**
   * OPTIONS (a 204 preflight) and POST on path: CORS for any origin, JSON or text/plain bodies up
   * to maxBody bytes (refused by type before the body is read, as /api/collect does).
   */
  static void mount(Router router, String path, String allowHeaders, int maxBody,
      Consumer<RoutingContext> handler) {
    router.options(path).handler(ctx -> ctx.response().setStatusCode(204)
        .putHeader("Access-Control-Allow-Origin", "*")
        .putHeader("Access-Control-Allow-Methods", "POST, OPTIONS")
        .putHeader("Access-Control-Allow-Headers", allowHeaders)
        .putHeader("Access-Control-Max-Age", "86400")
        .end());
    router.post(path).handler(ctx -> {
      ctx.response().putHeader("Access-Control-Allow-Origin", "*");
      IngestHandler.checkContentType(ctx);
    });
    router.post(path).handler(BodyHandler.create(false).setBodyLimit(maxBody))
        .handler(handler::accept);
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
