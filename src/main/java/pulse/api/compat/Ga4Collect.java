package pulse.api.compat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import pulse.api.IngestParts;
import pulse.ingest.ClientInfo;
import pulse.ingest.ClientRequest;
import pulse.ingest.IncomingEvent;
import pulse.ingest.IngestBody;
import pulse.ingest.IngestException;
import pulse.ingest.IngestOutcome;
import pulse.ingest.Refusal;
import pulse.site.ApiToken;
import pulse.site.Site;
import pulse.site.Sites;

/**
 * GA4's Measurement Protocol: POST /mp/collect?measurement_id=G-...&api_secret=... (JSON, under
 * any Content-Type), answered 204 as Google answers it, and POST /debug/mp/collect, which checks
 * a body as Google's validation server does and stores nothing. The measurement id is an alias of
 * a Pulse site; an api_secret, where given, must be a Pulse token of the site with the
 * {@code collect} scope. Unlike Google, which answers 2xx to anything, a body Pulse cannot take
 * gets a 4xx with a JSON error saying why (a sender that ignores answers loses nothing by it).
 */
public final class Ga4Collect {
  private final Sites sites;
  private final IngestParts ingest;

  public Ga4Collect(Sites sites, IngestParts ingest) {
    this.sites = sites;
    this.ingest = ingest;
  }

  public void mount(Router router) {
    for (String path : List.of("/mp/collect", "/debug/mp/collect")) {
      // senders post JSON as application/json, text/plain or with curl's form type: Google
      // reads the body as JSON whatever the type, and so does Pulse
      router.post(path).handler(BodyHandler.create(false).setBodyLimit(ingest.maxBodyBytes()))
          .handler(ctx -> handle(ctx, path.startsWith("/debug")));
    }
  }

  private void handle(RoutingContext ctx, boolean debug) {
    List<IncomingEvent> events = new ArrayList<>();
    ClientRequest client;
    try {
      Site site = site(ctx);
      Ga4Payload payload = Ga4Payload.read(IngestBody.json(ctx.body().buffer()), site);
      int i = 0;
      for (ObjectNode e : payload.events()) {
        events.add(ingest.parser().parse(e, "events[" + i++ + "]."));
      }
      ClientRequest sender = ClientRequest.of(ctx.request(), ingest.proxies());
      boolean override = payload.ipOverride() != null
          && ClientInfo.literal(payload.ipOverride()) != null;
      client = new ClientRequest(override ? payload.ipOverride() : sender.ip(),
          sender.userAgent(), sender.origin(),
          payload.country() != null ? payload.country() : sender.countryHeader(),
          payload.clientId(), payload.device());
    } catch (IngestException e) {
      if (debug) {
        validation(ctx, e.getMessage());
      } else {
        ingest.answers().answer(ctx, e.outcome(), r -> { });
      }
      return;
    }
    if (debug) {
      validation(ctx, null);
      return;
    }
    if (events.isEmpty()) {
      ctx.response().setStatusCode(204).end();
      return;
    }
    ingest.pipeline().ingest(events, client).onSuccess(outcome ->
        ingest.answers().answer(ctx, outcome, r -> r.setStatusCode(204).end()));
  }

  /** The site of measurement_id, if the api_secret (where given) may send to it. */
  private Site site(RoutingContext ctx) throws IngestException {
    String id = ctx.request().getParam("measurement_id");
    Site site = id == null ? null : sites.find(id);
    if (site == null) {
      throw new IngestException(Refusal.UNKNOWN_SITE, id == null
          ? "measurement_id is missing" : "unknown measurement_id '"
          + id.replaceAll("[^A-Za-z0-9_-]", "") + "'");
    }
    String secret = ctx.request().getParam("api_secret");
    if (secret != null) {
      ApiToken token = sites.findToken(secret);
      if (token == null || !token.coversSite(site.id())
          || !token.scopes().contains(ApiToken.COLLECT)) {
        throw new IngestException(Refusal.FORBIDDEN_ORIGIN, "api_secret is not a token of site '"
            + site.id() + "' with the collect scope");
      }
    }
    return site;
  }

  /** Google's validation answer: 200 with the problems found (none: an empty list). */
  private static void validation(RoutingContext ctx, String problem) {
    JsonArray messages = new JsonArray();
    if (problem != null) {
      messages.add(new JsonObject().put("fieldPath", problem.split(" ", 2)[0])
          .put("description", problem).put("validationCode", "VALUE_INVALID"));
    }
    ctx.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("validationMessages", messages).toBuffer());
  }
}
