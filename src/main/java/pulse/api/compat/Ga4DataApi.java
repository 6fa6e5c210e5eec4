package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import pulse.http.HttpErrors;
import pulse.ingest.IngestBody;
import pulse.ingest.IngestException;
import pulse.realtime.Snapshot;
import pulse.realtime.SnapshotService;
import pulse.site.Sites;

/**
 * Google Analytics Data API: POST /v1beta/properties/{propertyId}:runRealtimeReport, as the
 * official clients send it (REST, {@code $alt=json;enum-encoding=int}, a Bearer access token).
 * The property id is an alias of a Pulse site (GA's numeric property id, say), the access token a
 * Pulse token of the site with realtime:read. Errors in Google's shape:
 * {@code {"error": {"code", "message", "status"}}}, which the clients read.
 */
public final class Ga4DataApi {
  static final String PATH = "/v1beta/properties/([^/:]+):runRealtimeReport";
  private static final int MAX_BODY = 64 * 1024;

  private final SiteKeyCheck keys;
  private final SnapshotService snapshots;

  public Ga4DataApi(Sites sites, SnapshotService snapshots) {
    this.keys = new SiteKeyCheck(sites, SiteKeyCheck.Binding.COVERING);
    this.snapshots = snapshots;
  }

  public void mount(Router router) {
    router.postWithRegex(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
        .handler(this::report);
  }

  private void report(RoutingContext ctx) {
    SiteKeyCheck.Result key = keys.check(ctx.pathParam("param0"),
        ctx.request().getHeader("Authorization"));
    switch (key.outcome()) {
      case MISSING_TOKEN -> {
        error(ctx, 401, "UNAUTHENTICATED", "Request is missing required authentication "
            + "credential. Expected OAuth 2 access token, login cookie or other valid "
            + "authentication credential.");
        return;
      }
      case UNKNOWN_TOKEN -> {
        error(ctx, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials. "
            + "Expected OAuth 2 access token, login cookie or other valid authentication "
            + "credential.");
        return;
      }
      case UNKNOWN_SITE, OTHER_SITE, MISSING_SCOPE -> {
        // as Google: a property the caller may not read is not told apart from a missing one
        error(ctx, 403, "PERMISSION_DENIED",
            "User does not have sufficient permissions for this property.");
        return;
      }
      default -> { }
    }
    Ga4ReportRequest request;
    try {
      JsonNode body = IngestBody.json(ctx.body().buffer());
      request = Ga4ReportRequest.parse(body);
      Ga4RealtimeMapper.check(request);
    } catch (IngestException e) {
      error(ctx, 400, "INVALID_ARGUMENT", "Invalid JSON payload received: " + e.getMessage());
      return;
    } catch (Ga4ReportRequest.Invalid e) {
      error(ctx, 400, "INVALID_ARGUMENT", e.getMessage());
      return;
    }
    // $alt=json;enum-encoding=int, the ';' sent encoded or not: one parameter either way
    boolean enumsAsNumbers = String.valueOf(ctx.request().getParam("$alt"))
        .contains("enum-encoding=int");
    List<Future<SnapshotService.Computed>> reads = new ArrayList<>();
    for (Ga4ReportRequest.Range range : request.ranges()) {
      reads.add(snapshots.current(key.site().id(), range.windowSeconds()));
    }
    Future.all(reads).onSuccess(all -> {
      List<Snapshot> taken = new ArrayList<>();
      for (int i = 0; i < reads.size(); i++) {
        taken.add(all.<SnapshotService.Computed>resultAt(i).snapshot());
      }
      ctx.response().putHeader("Content-Type", "application/json; charset=UTF-8")
          .putHeader("Cache-Control", "private")
          .end(Ga4RealtimeMapper.map(request, taken, enumsAsNumbers).toBuffer());
    }).onFailure(err -> error(ctx, 503, "UNAVAILABLE", "The service is currently unavailable."));
  }

  static void error(RoutingContext ctx, int code, String status, String message) {
    HttpErrors.send(ctx.response(), code, new JsonObject().put("error", new JsonObject()
        .put("code", code).put("message", message).put("status", status)));
  }
}
