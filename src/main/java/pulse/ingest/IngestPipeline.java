package pulse.ingest;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import pulse.http.IpAddresses;
import pulse.http.RateLimiter;
import pulse.metrics.PulseMetrics;
import pulse.store.Event;
import pulse.store.EventStore;
import pulse.store.EventWriter;
import pulse.store.WindowQuery;

/**
 * What happens to parsed events, as a list of named steps: the Origin check, the rate limits,
 * the user agent, the bot and referrer-spam drops, the country; then the visitor id and the
 * write-behind buffer. Shared by /api/collect and the tracker endpoints of other products. It
 * returns an {@link IngestOutcome}; the route that received the request picks the status.
 */
public final class IngestPipeline {
  private static final Logger LOG = Logger.getLogger(IngestPipeline.class.getName());
  private static final char[] ID_CHARS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final long RETRY_AFTER_STORE_SECONDS = 5;

  private final EventWriter writer;
  private final UserAgents userAgents;
  private final GeoIp geoIp;
  private final VisitorIds visitorIds;
  private final Clock clock;
  private final PulseMetrics metrics;
  private final RateLimiter rateLimiter;
  private final int perIpPerMinute;
  private final int perSitePerMinute;
  private final ReferrerSpam referrerSpam = ReferrerSpam.bundled();
  private final List<IngestStep> steps;

  public IngestPipeline(EventStore store, EventWriter writer, UserAgents userAgents, GeoIp geoIp,
      Clock clock, int perIpPerMinute, int perSitePerMinute, PulseMetrics metrics) {
    this.writer = writer;
    this.userAgents = userAgents;
    this.geoIp = geoIp;
    this.visitorIds = new VisitorIds(store);
    this.clock = clock;
    this.metrics = metrics;
    this.rateLimiter = new RateLimiter(clock);
    this.perIpPerMinute = perIpPerMinute;
    this.perSitePerMinute = perSitePerMinute;
    this.steps = List.of(
        IngestStep.of("origin", this::checkOrigin),
        IngestStep.of("rate-limit", this::rateLimit),
        IngestStep.of("user-agent", this::parseUserAgent),
        IngestStep.of("bots", this::dropBots),
        IngestStep.of("referrer-spam", this::dropReferrerSpam),
        IngestStep.of("country", this::findCountry));
  }

  /** The names of the steps, in order. */
  public List<String> stepNames() {
    return steps.stream().map(IngestStep::name).toList();
  }

  /** Runs the steps, then stores what is left; never fails (a refusal is an outcome). */
  public Future<IngestOutcome> ingest(List<IncomingEvent> events, ClientRequest client) {
    IngestBatch batch = new IngestBatch(events, client);
    for (IngestStep step : steps) {
      IngestOutcome stop = step.apply(batch);
      if (stop != null) {
        return Future.succeededFuture(stop);
      }
    }
    long now = clock.millis();
    return visitorIds.salt(WindowQuery.day(now))
        .map(salt -> store(batch, salt, now))
        .otherwise(err -> {
          // without the day's salt no visitor id can be made; nothing was taken
          LOG.warning("cannot read the daily salt: " + err.getMessage());
          return new IngestOutcome.Refused(Refusal.STORE_UNAVAILABLE, "store unavailable",
              RETRY_AFTER_STORE_SECONDS, batch.size());
        });
  }

  private IngestOutcome store(IngestBatch batch, String salt, long now) {
    Map<String, List<Event>> bySite = new LinkedHashMap<>();
    // one visitor per site in a request: hash it once, not once per event of an array
    Map<String, String> visitorIdBySite = new HashMap<>(2);
    UserAgents.Agent agent = batch.agent;
    for (IncomingEvent in : batch.events) {
      String siteId = in.site().id();
      String visitorId = visitorIdBySite.computeIfAbsent(siteId,
          s -> batch.client.visitorKey() != null
              ? VisitorIds.visitorId(salt, s, "sender:" + batch.client.visitorKey(), "")
              : VisitorIds.visitorId(salt, s, batch.client.ip(), batch.client.userAgent()));
      Event event = new Event(newId(), in.type(), now, visitorId, in.path(), in.query(),
          in.title(), in.referrer(), in.name(), in.props(), batch.country, agent.browser(),
          agent.os(), agent.device(), in.returning(), in.engagedMillis(), in.utmSource(),
          in.utmMedium(), in.utmCampaign());
      bySite.computeIfAbsent(siteId, s -> new ArrayList<>()).add(event);
    }
    if (!writer.offer(bySite)) {
      return bufferFull(batch.size());
    }
    metrics.accepted(batch.size());
    return new IngestOutcome.Accepted(batch.size());
  }

  /**
   * The refusal of a request before its body is parsed, while the write-behind buffer is full
   * ({@link EventWriter#refusing}); null when there may be room. Its events are not known yet: it
   * counts as one, as a request refused before its body is read does.
   */
  public IngestOutcome refusalWhileFull() {
    return writer.refusing() ? bufferFull(1) : null;
  }

  private IngestOutcome bufferFull(int events) {
    // full while the store answers means events arrive faster than it takes them
    return new IngestOutcome.Refused(Refusal.BUFFER_FULL, writer.storeDown()
        ? "the store is unavailable and the ingest buffer is full; retry later"
        : "events arrive faster than the store takes them and the ingest buffer is full; "
            + "retry later",
        RETRY_AFTER_STORE_SECONDS, events);
  }

  /** A browser's Origin must be a domain of every event's site. */
  private IngestOutcome checkOrigin(IngestBatch batch) {
    String origin = batch.client.origin();
    if (origin == null || origin.equals("null")) {
      return null;
    }
    URI originUri = EventParser.httpUri(origin);
    for (IncomingEvent e : batch.events) {
      if (originUri == null || !e.site().allowsHost(originUri.getHost())) {
        return new IngestOutcome.Refused(Refusal.FORBIDDEN_ORIGIN, "Origin '"
            + origin.replaceAll("[^\\x20-\\x7e]", "") + "' is not a domain of site '"
            + e.site().id() + "'", 0, batch.size());
      }
    }
    return null;
  }

  /** Per client address, then per site. */
  private IngestOutcome rateLimit(IngestBatch batch) {
    long retryAfter = perIpPerMinute > 0 ? rateLimiter.acquire(
        "ip:" + IpAddresses.limitKey(batch.client.ip()), perIpPerMinute) : 0;
    String limited = "this address";
    if (retryAfter == 0 && perSitePerMinute > 0) {
      for (String siteId : batch.events.stream().map(e -> e.site().id()).distinct().toList()) {
        retryAfter = rateLimiter.acquire("site:" + siteId, perSitePerMinute);
        if (retryAfter > 0) {
          limited = "site '" + siteId + "'";
          break;
        }
      }
    }
    return retryAfter == 0 ? null : new IngestOutcome.Refused(Refusal.RATE_LIMITED,
        "too many events from " + limited + "; retry in " + retryAfter + " s", retryAfter,
        batch.size());
  }

  private IngestOutcome parseUserAgent(IngestBatch batch) {
    batch.agent = batch.client.device() != null ? batch.client.device()
        : userAgents.parse(batch.client.userAgent());
    return null;
  }

  /**
   * Bots are answered as if stored, never stored as visitors: each request counts once per site
   * under its class, for the snapshot's bots figures (lost, not retried, when the buffer is full).
   */
  private IngestOutcome dropBots(IngestBatch batch) {
    if (!batch.agent.bot()) {
      return null;
    }
    metrics.botsDropped(batch.size());
    String botClass = BotClass.of(batch.client.userAgent());
    long now = clock.millis();
    Map<String, List<Event>> bySite = new LinkedHashMap<>();
    for (IncomingEvent e : batch.events) {
      bySite.computeIfAbsent(e.site().id(), s -> List.of(Event.bot(newId(), now, botClass)));
    }
    writer.offer(bySite);
    LOG.fine(() -> "dropped " + batch.size() + " event(s) from a bot: "
        + batch.client.userAgent());
    return new IngestOutcome.Dropped("bots", batch.size());
  }

  private IngestOutcome dropReferrerSpam(IngestBatch batch) {
    if (batch.events.stream().noneMatch(e -> referrerSpam.isSpam(e.referrer()))) {
      return null;
    }
    metrics.spamDropped(batch.size());
    return new IngestOutcome.Dropped("referrer-spam", batch.size());
  }

  /** A trusted proxy's header first, then the IP-to-country database. */
  private IngestOutcome findCountry(IngestBatch batch) {
    String country = batch.client.countryHeader();
    if (country == null) {
      InetAddress address = ClientInfo.literal(batch.client.ip());
      country = address == null ? null : geoIp.country(address);
    }
    batch.country = country == null ? "" : country;
    return null;
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
