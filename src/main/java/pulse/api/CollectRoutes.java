package pulse.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import pulse.http.CrossOrigin;
import pulse.ingest.ClientRequest;
import pulse.ingest.IncomingEvent;
import pulse.ingest.IngestBody;
import pulse.ingest.IngestException;
import pulse.ingest.IngestOutcome;

/**
 * POST /api/collect: one event or an array of them, from any origin. Answers 202 once the
 * write-behind buffer holds the events (they survive a store outage there), 503 when it is full
 * (before parsing the body once the buffer has refused one: see {@link
 * pulse.store.EventWriter#refusing}); an array is taken or refused whole.
 */
public final class CollectRoutes {
  private final IngestParts ingest;
  private final int maxEvents;

  /** @param maxEvents the most events one array may hold */
  public CollectRoutes(IngestParts ingest, int maxEvents) {
    this.ingest = ingest;
    this.maxEvents = maxEvents;
  }

  public void mount(Router router) {
    router.options("/api/collect").handler(CrossOrigin.preflight("POST, OPTIONS", "Content-Type"));
    // a route of its own: Vert.x runs body handlers before user handlers within one route, and
    // the content type must be refused before a body is read
    router.post("/api/collect").handler(ctx -> {
      CrossOrigin.allowAnyOrigin(ctx.response());
      ingest.answers().checkContentType(ctx);
    });
    router.post("/api/collect")
        .handler(BodyHandler.create(false).setBodyLimit(ingest.maxBodyBytes()))
        .handler(this::collect);
  }

  private void collect(RoutingContext ctx) {
    IngestOutcome full = ingest.pipeline().refusalWhileFull();
    if (full != null) {
      ingest.answers().answer(ctx, full, r -> {});
      return;
    }
    List<IncomingEvent> events;
    try {
      events = IngestBody.events(ctx.body().buffer(), ingest.parser(), maxEvents);
    } catch (IngestException e) {
      ingest.answers().answer(ctx, e.outcome(), r -> {});
      return;
    }
    ingest.pipeline().ingest(events, ClientRequest.of(ctx.request(), ingest.proxies()))
        .onSuccess(outcome -> ingest.answers().answer(ctx, outcome,
            r -> r.setStatusCode(202).end()));
  }
}
