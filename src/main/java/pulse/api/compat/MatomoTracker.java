package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import pulse.api.IngestAnswers;
import pulse.api.IngestParts;
import pulse.http.HttpErrors;
import pulse.ingest.ClientRequest;
import pulse.ingest.IncomingEvent;
import pulse.ingest.IngestBody;
import pulse.ingest.IngestException;
import pulse.ingest.IngestOutcome;
import pulse.ingest.Refusal;
import pulse.site.ApiToken;
import pulse.site.Sites;

/**
 * Matomo's tracking endpoints, {@code /matomo.php} and {@code /piwik.php}: GET and POST (the
 * parameters in the query, a form body or both, the query winning as PHP's
 * {@code $_GET + $_POST} does) and bulk requests ({@code POST {"requests": ["?idsite=..", ..],
 * "token_auth": ".."}}), each request through {@link MatomoHits} into the /api/collect pipeline.
 *
 * <p>Answers as Matomo's tracker does (core/Tracker/Response.php): a tracked request gets
 * {@code 200} and a 1x1 transparent GIF, or {@code 204} with {@code send_image=0} (what the
 * JavaScript tracker asks for); a bulk request gets {@code {"status": "success", "tracked": n,
 * "invalid": n}} ({@code invalid_indices} too when its token_auth is a collect token), or
 * {@code 204} with {@code "send_image": 0}. An unknown idsite is Matomo's 400; where Matomo
 * answers an error with its image, Pulse answers its JSON error. Every POST answer allows the
 * calling origin with credentials, as Matomo does: its script posts with
 * {@code withCredentials} and falls back to an image request (counting twice) when it cannot
 * read the answer.
 */
public final class MatomoTracker {
  static final byte[] GIF = Base64.getDecoder()
      .decode("R0lGODlhAQABAIAAAAAAAAAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
  static final List<String> PATHS = List.of("/matomo.php", "/piwik.php");

  private final IngestParts ingest;
  private final MatomoHits hits;
  private final Sites sites;
  private final Clock clock;
  private final int windowSeconds;

  /** @param windowSeconds the longest window Pulse holds: hits dated before it are not stored */
  public MatomoTracker(Sites sites, IngestParts ingest, Clock clock, int windowSeconds) {
    this.ingest = ingest;
    this.hits = new MatomoHits(sites);
    this.sites = sites;
    this.clock = clock;
    this.windowSeconds = windowSeconds;
  }

  public void mount(Router router) {
    for (String path : PATHS) {
      router.options(path).handler(ctx -> allowCaller(ctx).setStatusCode(204)
          .putHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
          .putHeader("Access-Control-Allow-Headers", "Content-Type")
          .putHeader("Access-Control-Max-Age", "86400").end());
      router.get(path).handler(this::single);
      router.post(path).handler(ctx -> {
        allowCaller(ctx);
        ctx.next();
      });
      router.post(path).handler(BodyHandler.create(false).setBodyLimit(ingest.maxBodyBytes()))
          .handler(this::post);
    }
  }

  private static HttpServerResponse allowCaller(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    return ctx.response()
        .putHeader("Access-Control-Allow-Origin", origin == null ? "*" : origin)
        .putHeader("Access-Control-Allow-Credentials", "true");
  }

  private void post(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    String text = body == null ? "" : body.toString(StandardCharsets.UTF_8);
    // Matomo's own test: a body naming "requests" after its first character is a bulk request
    if (text.indexOf("\"requests\"") > 0 || text.indexOf("'requests'") > 0) {
      bulk(ctx, body);
    } else {
      single(ctx);
    }
  }

  private void single(RoutingContext ctx) {
    Map<String, String> params = MatomoParams.decode(ctx.request().query());
    if (params != null && ctx.request().method() == HttpMethod.POST
        && ctx.body().buffer() != null) {
      Map<String, String> form =
          MatomoParams.decode(ctx.body().buffer().toString(StandardCharsets.UTF_8).strip());
      params = form == null ? null : MatomoParams.union(params, form);
    }
    if (params == null) {
      HttpErrors.send(ctx, 400, "malformed parameters: a %-escape is not valid");
      return;
    }
    if (params.isEmpty()) {
      if (ctx.request().method() == HttpMethod.GET) {
        ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
            .end("This is Pulse's Matomo tracking endpoint: send it Matomo's tracking requests.\n");
      } else {
        HttpErrors.send(ctx, 400, "empty tracking request: no parameters");
      }
      return;
    }
    boolean image = !"0".equals(params.get("send_image"));
    track(ctx, params, null).onSuccess(result -> {
      if (result instanceof IngestOutcome.Refused refused) {
        refuse(ctx, refused);
      } else if (image) {
        HttpServerResponse r = ctx.response().putHeader("Content-Type", "image/gif");
        if (ctx.request().method() == HttpMethod.GET) {
          r.putHeader("Cache-Control", "no-store");
        }
        r.end(Buffer.buffer(GIF));
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  /** Unknown sites get Matomo's 400, a refused token 401, the rest the statuses of ingest. */
  private void refuse(RoutingContext ctx, IngestOutcome.Refused refused) {
    if (refused.reason() == Refusal.UNKNOWN_SITE) {
      HttpErrors.send(ctx, 400, refused.message());
    } else if (refused.reason() == null) {
      HttpErrors.send(ctx, 401, refused.message());
    } else {
      ingest.answers().answer(ctx, refused, r -> { });
    }
  }

  /**
   * One tracking request into the pipeline; never fails. Accepted, Dropped (a bot, spam, or not
   * stored on purpose) or Refused; a Refused with a null reason is a refused token.
   */
  private Future<IngestOutcome> track(RoutingContext ctx, Map<String, String> params,
      String bulkToken) {
    IncomingEvent event;
    MatomoHits.Hit hit;
    try {
      hit = hits.translate(params, bulkToken, clock.millis(), windowSeconds);
      if (hit.event() == null) {
        return Future.succeededFuture(new IngestOutcome.Dropped("matomo", 1));
      }
      event = ingest.parser().parse(hit.event(), "");
    } catch (IngestException e) {
      return Future.succeededFuture(e.outcome());
    } catch (MatomoHits.BadToken e) {
      return Future.succeededFuture(new IngestOutcome.Refused(null, e.getMessage(), 0, 1));
    }
    ClientRequest from = ClientRequest.of(ctx.request(), ingest.proxies());
    ClientRequest client = new ClientRequest(hit.ip() != null ? hit.ip() : from.ip(),
        hit.userAgent() != null ? hit.userAgent() : from.userAgent(), from.origin(),
        hit.ip() != null ? null : from.countryHeader(), hit.visitorKey(), null);
    return ingest.pipeline().ingest(List.of(event), client);
  }

  private void bulk(RoutingContext ctx, Buffer body) {
    JsonNode root;
    try {
      root = IngestBody.json(body);
    } catch (IngestException e) {
      bulkError(ctx, 400, 0, List.of(), false, "bulk request is not JSON: " + e.getMessage());
      return;
    }
    JsonNode requests = root.path("requests");
    if (!root.isObject() || !requests.isArray()) {
      bulkError(ctx, 400, 0, List.of(), false, "a bulk request is {\"requests\": [...]}");
      return;
    }
    String token = root.path("token_auth").isValueNode() ? root.path("token_auth").asText()
        : null;
    ApiToken found = token == null || token.isBlank() ? null : sites.findToken(token.trim());
    if (token != null && !token.isBlank() && found == null) {
      bulkError(ctx, 401, 0, List.of(), false, "token_auth is not a Pulse token");
      return;
    }
    boolean authenticated = found != null && found.scopes().contains(ApiToken.COLLECT);
    // Matomo reads send_image as a truthy string: 0, "0" and "" ask for no body
    JsonNode sendImage = root.get("send_image");
    boolean answer = sendImage == null || !List.of("0", "", "false").contains(sendImage.asText());
    List<Integer> invalid = new ArrayList<>();
    next(ctx, requests, 0, token, 0, invalid).onSuccess(end -> {
      if (end.refused() != null) {
        if (end.refused().retryAfterSeconds() > 0) {
          ctx.response().putHeader("Retry-After",
              Long.toString(end.refused().retryAfterSeconds()));
        }
        bulkError(ctx, IngestAnswers.status(end.refused().reason()), end.tracked(), invalid,
            authenticated, end.refused().message());
      } else if (!answer) {
        ctx.response().setStatusCode(204).end();
      } else {
        CompatRoutes.ok(ctx, "no-store", bulkBody("success", end.tracked(), invalid,
            authenticated));
      }
    });
  }

  /** Where a bulk request stopped: how many were tracked, and the refusal that stopped it. */
  private record BulkEnd(int tracked, IngestOutcome.Refused refused) {}

  /** The bulk entries from index i on, one after the other (each may name its own visitor). */
  private Future<BulkEnd> next(RoutingContext ctx, JsonNode requests, int i, String token,
      int tracked, List<Integer> invalid) {
    if (i >= requests.size()) {
      return Future.succeededFuture(new BulkEnd(tracked, null));
    }
    Map<String, String> params = MatomoParams.bulkEntry(requests.get(i));
    if (params == null) {
      invalid.add(i);
      return next(ctx, requests, i + 1, token, tracked, invalid);
    }
    if (params.isEmpty()) {
      // Matomo skips an entry without a query, counting it neither way
      return next(ctx, requests, i + 1, token, tracked, invalid);
    }
    return track(ctx, params, token).compose(outcome -> {
      if (outcome instanceof IngestOutcome.Refused refused) {
        if (refused.reason() == Refusal.RATE_LIMITED || refused.reason() == Refusal.BUFFER_FULL
            || refused.reason() == Refusal.STORE_UNAVAILABLE) {
          return Future.succeededFuture(new BulkEnd(tracked, refused));
        }
        invalid.add(i);
        return next(ctx, requests, i + 1, token, tracked, invalid);
      }
      return next(ctx, requests, i + 1, token, tracked + 1, invalid);
    });
  }

  private static JsonObject bulkBody(String status, int tracked, List<Integer> invalid,
      boolean authenticated) {
    JsonObject body = new JsonObject().put("status", status).put("tracked", tracked)
        .put("invalid", invalid.size());
    if (authenticated) {
      body.put("invalid_indices", new JsonArray(new ArrayList<>(invalid)));
    }
    return body;
  }

  /** Matomo's bulk error body, with the message it gives in debug mode. */
  private static void bulkError(RoutingContext ctx, int status, int tracked,
      List<Integer> invalid, boolean authenticated, String message) {
    HttpErrors.send(ctx.response(), status,
        bulkBody("error", tracked, invalid, authenticated).put("message", message));
  }
}
