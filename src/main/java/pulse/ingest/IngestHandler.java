package pulse.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import pulse.http.HttpErrors;
import pulse.http.IpAddresses;
import pulse.http.ProxyTrust;
import pulse.http.RateLimiter;
import pulse.metrics.PulseMetrics;
import pulse.site.Site;
import pulse.store.Event;
import pulse.store.EventStore;
import pulse.store.EventWriter;
import pulse.store.WindowQuery;

/**
 * POST /api/collect: parse → validate → drop bots → enrich (visitor id, country, browser/OS/device)
 * → the write-behind buffer, which stores them in batches. Answers 202 once the buffer holds the
 * events (they survive a store outage there), 503 when it is full; an array is taken or refused
 * whole.
 */
public final class IngestHandler {
  private static final Logger LOG = Logger.getLogger(IngestHandler.class.getName());
  private static final char[] ID_CHARS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  /** Jackson with tight limits: a hostile body cannot nest deep or hold one giant string. */
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(16)
          .maxStringLength(64 * 1024)
          .maxNumberLength(40)
          .build())
      .build())
      // "[]]" or an event followed by anything else is a broken body, not the part before it
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final EventParser parser;
  private final EventWriter writer;
  private final UserAgents userAgents;
  private final GeoIp geoIp;
  private final VisitorIds visitorIds;
  private final Clock clock;
  private final ProxyTrust proxies;
  private final int maxEvents;
  private final PulseMetrics metrics;
  private final RateLimiter rateLimiter;
  private final int perIpPerMinute;
  private final int perSitePerMinute;
  private final ReferrerSpam referrerSpam = ReferrerSpam.bundled();

  public IngestHandler(EventParser parser, EventStore store, EventWriter writer,
      UserAgents userAgents, GeoIp geoIp, Clock clock, ProxyTrust proxies, int maxEvents,
      int perIpPerMinute, int perSitePerMinute, PulseMetrics metrics) {
    this.metrics = metrics;
    this.rateLimiter = new RateLimiter(clock);
    this.perIpPerMinute = perIpPerMinute;
    this.perSitePerMinute = perSitePerMinute;
    this.parser = parser;
    this.writer = writer;
    this.userAgents = userAgents;
    this.geoIp = geoIp;
    this.visitorIds = new VisitorIds(store);
    this.clock = clock;
    this.proxies = proxies;
    this.maxEvents = maxEvents;
  }

  /** Runs before the body is read: only JSON and text/plain (what sendBeacon sends) are taken. */
  public void checkContentType(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/json") && !mime.equals("text/plain")) {
      reject(ctx, 415, "Content-Type must be application/json or text/plain", 1);
      return;
    }
    ctx.next();
  }

  /** Refuses a request with its status and message, counted by reason. */
  private void reject(RoutingContext ctx, int status, String message, int events) {
    metrics.rejected(reason(status), events);
    HttpErrors.send(ctx, status, message);
  }

  public static String reason(int status) {
    return switch (status) {
      case 400 -> "invalid";
      case 403 -> "forbidden";
      case 404 -> "unknown_site";
      case 413 -> "too_large";
      case 415 -> "content_type";
      case 429 -> "rate_limited";
      case 503 -> "buffer_full";
      default -> "other";
    };
  }

  public void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    List<IncomingEvent> incoming;
    try {
      incoming = parse(body);
    } catch (IngestException e) {
      reject(ctx, e.status(), e.getMessage(), 1);
      return;
    }
    ingest(ctx, incoming, response -> response.setStatusCode(202).end());
  }

  /**
   * The pipeline after parsing, shared by /api/collect and the tracker endpoints of other products:
   * Origin check, bot filter, enrichment, store. Once the store has the events (or when a bot sent
   * them) {@code answer} writes the success response the caller's protocol expects; failures are
   * answered here with a JSON error.
   */
  public void ingest(RoutingContext ctx, List<IncomingEvent> incoming,
      Consumer<HttpServerResponse> answer) {
    HttpServerRequest request = ctx.request();
    String origin = request.getHeader("Origin");
    if (origin != null && !origin.equals("null")) {
      java.net.URI originUri = EventParser.httpUri(origin);
      for (IncomingEvent e : incoming) {
        if (originUri == null || !e.site().allowsHost(originUri.getHost())) {
          reject(ctx, 403, "Origin '" + origin.replaceAll("[^\\x20-\\x7e]", "")
              + "' is not a domain of site '" + e.site().id() + "'", incoming.size());
          return;
        }
      }
    }
    String ip = ClientInfo.ip(request, proxies);
    if (rateLimited(ctx, ip, incoming)) {
      return;
    }
    String userAgent = request.getHeader("User-Agent");
    UserAgents.Agent agent = userAgents.parse(userAgent);
    if (agent.bot()) {
      metrics.botsDropped(incoming.size());
      LOG.fine(() -> "dropped " + incoming.size() + " event(s) from a bot: " + userAgent);
      answer.accept(ctx.response());
      return;
    }
    if (incoming.stream().anyMatch(e -> referrerSpam.isSpam(e.referrer()))) {
      metrics.spamDropped(incoming.size());
      answer.accept(ctx.response());
      return;
    }
    long now = clock.millis();
    String country = ClientInfo.countryHeader(request, proxies);
    if (country == null) {
      InetAddress address = ClientInfo.literal(ip);
      country = address == null ? null : geoIp.country(address);
    }
    String countryCode = country == null ? "" : country;
    visitorIds.salt(WindowQuery.day(now))
        .compose(salt -> {
          Map<String, List<Event>> bySite = new LinkedHashMap<>();
          // one visitor per site in a request: hash it once, not once per event of an array
          Map<String, String> visitorIdBySite = new java.util.HashMap<>(2);
          for (IncomingEvent in : incoming) {
            String siteId = in.site().id();
            String visitorId = visitorIdBySite.computeIfAbsent(siteId,
                s -> VisitorIds.visitorId(salt, s, ip, userAgent));
            Event event = new Event(newId(), in.type(), now,
                visitorId, in.path(), in.query(), in.title(),
                in.referrer(), in.name(), in.props(), countryCode, agent.browser(), agent.os(),
                agent.device(), in.returning());
            bySite.computeIfAbsent(siteId, s -> new ArrayList<>()).add(event);
          }
          return Future.succeededFuture(writer.offer(bySite));
        })
        .onSuccess(taken -> {
          if (taken) {
            metrics.accepted(incoming.size());
            answer.accept(ctx.response());
          } else {
            ctx.response().putHeader("Retry-After", "5");
            reject(ctx, 503, "the store is unavailable and the ingest buffer is full; "
                + "retry later", incoming.size());
          }
        })
        .onFailure(err -> {
          // without the day's salt no visitor id can be made; nothing was taken
          LOG.warning("cannot read the daily salt: " + err.getMessage());
          ctx.response().putHeader("Retry-After", "5");
          HttpErrors.send(ctx, 503, "store unavailable");
        });
  }

  /** Per client address, then per site; over a limit: 429 with Retry-After, nothing taken. */
  private boolean rateLimited(RoutingContext ctx, String ip, List<IncomingEvent> incoming) {
    long retryAfter = perIpPerMinute > 0 ? rateLimiter.acquire(
        "ip:" + IpAddresses.limitKey(ip), perIpPerMinute) : 0;
    String limited = "this address";
    if (retryAfter == 0 && perSitePerMinute > 0) {
      for (String siteId : incoming.stream().map(e -> e.site().id()).distinct().toList()) {
        retryAfter = rateLimiter.acquire("site:" + siteId, perSitePerMinute);
        if (retryAfter > 0) {
          limited = "site '" + siteId + "'";
          break;
        }
      }
    }
    if (retryAfter == 0) {
      return false;
    }
    ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
    reject(ctx, 429, "too many events from " + limited + "; retry in " + retryAfter + " s",
        incoming.size());
    return true;
  }

  private List<IncomingEvent> parse(Buffer body) throws IngestException {
    return parseBody(body, parser, maxEvents);
  }

  /** The body's events: one object, or a non-empty array of at most {@code maxEvents}. */
  static List<IncomingEvent> parseBody(Buffer body, EventParser parser, int maxEvents)
      throws IngestException {
    JsonNode root = readJson(body);
    List<IncomingEvent> events = new ArrayList<>();
    if (root.isArray()) {
      if (root.isEmpty()) {
        throw new IngestException(400, "events array is empty");
      }
      if (root.size() > maxEvents) {
        throw new IngestException(400, "events array holds " + root.size()
            + " events; at most " + maxEvents + " per request");
      }
      for (int i = 0; i < root.size(); i++) {
        events.add(parser.parse(root.get(i), "events[" + i + "]."));
      }
    } else {
      events.add(parser.parse(root, ""));
    }
    return events;
  }

  /** Reads a request body as JSON with tight limits; refusals say what is wrong (400). */
  public static JsonNode readJson(Buffer body) throws IngestException {
    if (body == null || body.length() == 0) {
      throw new IngestException(400, "body is empty: send a JSON event object or an array of them");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body.getBytes());
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      throw new IngestException(400, "body nests too deep or holds a value that is too long");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new IngestException(400, "body is not valid JSON" + where);
    } catch (IOException e) {
      throw new IngestException(400, "body is not valid UTF-8 JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw new IngestException(400, "body is empty: send a JSON event object or an array of them");
    }
    return root;
  }

  /**
   * 10 random characters (59 bits): with the visitor and the path they make each stored pageview
   * unique, and every byte of it is held once per pageview in the window.
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[10];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
    }
    return new String(id);
  }

}
