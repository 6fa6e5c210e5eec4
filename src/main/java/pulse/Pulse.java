package pulse;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Logger;
import pulse.HttpServerVerticle;
import pulse.alerts.AlertEvaluator;
import pulse.alerts.Backoff;
import pulse.alerts.WebhookSender;
import pulse.config.ConfigException;
import pulse.config.LimitsConfig;
import pulse.config.PulseConfig;
import pulse.config.RealtimeConfig;
import pulse.demo.DemoTraffic;
import pulse.ingest.EventParser;
import pulse.ingest.QueryAllowList;
import pulse.ingest.GeoIp;
import pulse.ingest.IngestPipeline;
import pulse.ingest.UserAgents;
import pulse.metrics.PulseMetrics;
import pulse.realtime.BaselineReader;
import pulse.realtime.DayFiguresService;
import pulse.realtime.HistoryService;
import pulse.realtime.MinuteRecorder;
import pulse.realtime.RealtimeVerticle;
import pulse.realtime.SnapshotService;
import pulse.realtime.StreamHub;
import pulse.realtime.StreamTickets;
import pulse.site.Sites;
import pulse.store.EmbeddedStoreSaving;
import pulse.store.EventStore;
import pulse.store.EventWriter;
import pulse.store.MemoryEventStore;
import pulse.store.RedisEventStore;
import pulse.store.StoreLimits;

/** One running Pulse: the store, the shared services and the deployed verticles. */
public final class Pulse {
  private static final Logger LOG = Logger.getLogger(Pulse.class.getName());

  private final Vertx vertx;
  private final Services services;
  private final HttpServerVerticle http;

  private final String realtimeId;
  private final List<String> httpIds;
  private final DemoTraffic demo;

  private Pulse(Vertx vertx, Services services, HttpServerVerticle http, String realtimeId,
      List<String> httpIds, DemoTraffic demo) {
    this.vertx = vertx;
    this.services = services;
    this.http = http;
    this.realtimeId = realtimeId;
    this.httpIds = httpIds;
    this.demo = demo;
  }

  /** Starts Pulse with what the config says; the options let tests allow headless browsers. */
  public static Future<Pulse> start(Vertx vertx, PulseConfig config, Sites sites, Clock clock,
      Options options) {
    EventStore store;
    if (config.usesRedis()) {
      store = new RedisEventStore(RedisEventStore.connect(vertx, config.redisUrl()), clock,
          StoreLimits.from(config));
    } else {
      // caps from the heap, so that no client can fill it (README, Security)
      StoreLimits limits = StoreLimits.from(config)
          .forHeap(options.heapForStore(), sites.all().size());
      LOG.info("embedded store in a heap of " + options.heapForStore() / (1 << 20)
          + " MiB: " + limits.describe(sites.all().size()));
      MemoryEventStore memory = new MemoryEventStore(clock, limits);
      if (config.dataDir() != null) {
        // reads the last save now; saves every minute and when the store closes (after flush)
        try {
          EmbeddedStoreSaving.start(vertx, memory, config.dataDir(), clock);
        } catch (IllegalStateException e) {
          return Future.failedFuture(e); // another Pulse holds the directory
        }
      }
      store = memory;
    }
    GeoIp geoIp = openGeoIp(config);
    PulseMetrics metrics = new PulseMetrics();
    RealtimeConfig realtime = config.realtime();
    LimitsConfig limits = config.limits();
    SnapshotService snapshots = new SnapshotService(store, clock, realtime.tickMillis(),
        realtime.maxFiltersPerSite(), metrics);
    StreamHub hub = new StreamHub(snapshots, clock, new StreamHub.Settings(realtime.tickMillis(),
        realtime.fallbackMillis(), realtime.keepAliveMillis(), realtime.maxStreams(),
        realtime.maxStreamsPerIp(), realtime.stuckStreamMillis()));
    EventWriter writer = new EventWriter(vertx, store, limits.bufferEvents(),
        localChangeNote(config, hub), metrics);
    EventParser parser =
        new EventParser(sites, new QueryAllowList(config.ingest().queryAllowList()));
    IngestPipeline ingest = new IngestPipeline(store, writer,
        new UserAgents(options.allowHeadlessBrowsers()), geoIp, clock,
        limits.ingestPerIpPerMinute(), limits.ingestPerSitePerMinute(), metrics);
    metrics.gauge("pulse_buffer_events", "events waiting for the store", writer,
        EventWriter::buffered);
    metrics.gauge("pulse_store_down", "1 while the store cannot be written", writer,
        w -> w.storeDown() ? 1 : 0);
    metrics.gauge("pulse_streams_open", "open event streams", hub, StreamHub::openStreams);
    BaselineReader baselines = new BaselineReader(store);
    snapshots.readBaselinesFrom(baselines);
    MinuteRecorder minutes = new MinuteRecorder(store, snapshots,
        () -> sites.all().stream().map(pulse.site.Site::id).toList(), clock);
    Services services = new Services(config, sites, store, writer, snapshots,
        new DayFiguresService(store, clock), parser, ingest, hub,
        new StreamTickets(ticketSecret(config)), clock, metrics,
        new HistoryService(store, snapshots, baselines, clock), minutes);
    minutes.addListener(alerts(vertx, services, hub)::minuteRecorded);
    HttpFrontDoor door = new HttpFrontDoor(vertx, services);
    // the first server binds the port (which may be 0) and says which it got
    HttpServerVerticle http = new HttpServerVerticle(door, config.server().host(),
        config.server().port());
    DemoTraffic demo = demoTraffic(vertx, services, hub, options);
    StartupReport.watchStore(vertx, store, config);
    return vertx.deployVerticle(new RealtimeVerticle(hub, config.redisUrl()))
        .compose(realtimeId -> deployServers(vertx, door, config, http).map(httpIds -> {
      vertx.setPeriodic(5_000, t -> snapshots.evictIdle());
      minutes.start(vertx);
      LOG.info("Pulse listening on port " + http.actualPort()
          + (vertx.isNativeTransportEnabled() ? " (native transport)" : "") + " with "
          + StartupReport.store(config));
      LOG.info(StartupReport.dashboard(config, sites, http.actualPort()));
      if (demo != null) {
        demo.start();
      }
      return new Pulse(vertx, services, http, realtimeId, httpIds, demo);
    }));
  }

  /**
   * One HTTP server per event loop, all on one port (Vert.x hands new connections to them in
   * turn). Port 0 (a random port, as tests ask) gets one server: Vert.x shares a port between
   * servers by the port they asked for, so servers asking for 0 would each bind another.
   * Completes with the deployment ids, {@code first}'s first.
   */
  private static Future<List<String>> deployServers(Vertx vertx, HttpFrontDoor door,
      PulseConfig config, HttpServerVerticle first) {
    return vertx.deployVerticle(first).compose(firstId -> {
      int others = config.server().port() == 0 ? 0 : httpInstances() - 1;
      if (others == 0) {
        return Future.succeededFuture(List.of(firstId));
      }
      return vertx.deployVerticle(
              () -> new HttpServerVerticle(door, config.server().host(), config.server().port()),
              new DeploymentOptions().setInstances(others))
          .map(otherId -> List.of(firstId, otherId));
    });
  }

  /** One HTTP server per event loop Vert.x starts by default (twice the processors). */
  private static int httpInstances() {
    return 2 * Runtime.getRuntime().availableProcessors();
  }

  /** The alert rules of the sites file, evaluated each recorded minute (README, Alerts). */
  private static AlertEvaluator alerts(Vertx vertx, Services services, StreamHub hub) {
    return new AlertEvaluator(vertx, services.store(), services.sites(),
        services.history()::baseline,
        new WebhookSender(vertx, services.clock(), Backoff.DEFAULT),
        (siteId, json) -> hub.broadcast(siteId, "alert", json), services.clock(),
        services.config().server().publicUrl());
  }

  private static DemoTraffic demoTraffic(Vertx vertx, Services services, StreamHub hub,
      Options options) {
    if (!options.demo()) {
      return null;
    }
    if (services.sites().byCanonicalId(DemoTraffic.SITE) == null) {
      LOG.warning("--demo: the sites file has no site '" + DemoTraffic.SITE
          + "'; no demo traffic");
      return null;
    }
    return new DemoTraffic(vertx, services.store(), localChangeNote(services.config(), hub),
        services.clock(),
        System.nanoTime());
  }

  /**
   * What a writer of events calls after a write. With Redis, append.lua publishes the change note
   * that every instance, this one included, receives; a second, local note would arrive while the
   * snapshot it should have caused is already computing, and put the next real change off by a
   * tick. So only the embedded store, which publishes nothing, notes changes locally.
   */
  private static Consumer<String> localChangeNote(PulseConfig config, StreamHub hub) {
    return config.redisUrl() == null ? hub::changed : siteId -> { };
  }

  private static byte[] ticketSecret(PulseConfig config) {
    String secret = config.realtime().ticketSecret();
    if (secret != null) {
      return secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    if (config.usesRedis()) {
      LOG.info("no realtime.ticketSecret (PULSE_TICKET_SECRET): stream tickets open streams on "
          + "this instance only; set the same secret on every instance");
    }
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    return random;
  }

  private static GeoIp openGeoIp(PulseConfig config) {
    if (config.geoipDb() == null) {
      return GeoIp.none();
    }
    if (!java.nio.file.Files.isRegularFile(config.geoipDb())) {
      LOG.info("no IP-to-country database at " + config.geoipDb()
          + " (scripts/fetch-geoip.sh fetches one); countries come only from proxy headers");
      return GeoIp.none();
    }
    try {
      return GeoIp.open(config.geoipDb());
    } catch (IOException e) {
      throw new ConfigException("geoipDb (PULSE_GEOIP_DB): " + e.getMessage(), e);
    }
  }

  /**
   * Start options that are not configuration.
   *
   * @param allowHeadlessBrowsers count headless Chromium as a browser (browser tests)
   * @param demo feed synthetic visitors into the {@code demo} site ({@code --demo})
   * @param storeHeapBytes the heap the embedded store sizes its caps from; 0: this JVM's maximum
   */
  public record Options(boolean allowHeadlessBrowsers, boolean demo, long storeHeapBytes) {
    public static final Options DEFAULT = new Options(false, false);

    public Options(boolean allowHeadlessBrowsers) {
      this(allowHeadlessBrowsers, false);
    }

    public Options(boolean allowHeadlessBrowsers, boolean demo) {
      this(allowHeadlessBrowsers, demo, 0);
    }

    long heapForStore() {
      return storeHeapBytes > 0 ? storeHeapBytes : Runtime.getRuntime().maxMemory();
    }
  }

  public int port() {
    return http.actualPort();
  }

  public Services services() {
    return services;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Stops in order: streams get their final message and close while the HTTP server still runs,
   * then the server stops taking requests, then buffered events are written (bounded time), then
   * the store closes.
   */
  public Future<Void> close() {
    if (demo != null) {
      demo.stop();
    }
    services.minutes().stop();
    return vertx.undeploy(realtimeId)
        .eventually(() -> Future.join(httpIds.stream().map(vertx::undeploy).toList()))
        .eventually(() -> services.writer().flush(FLUSH_TIMEOUT_MILLIS)
            .onFailure(err -> LOG.warning("shutdown: " + err.getMessage())))
        .eventually(() -> services.store().close());
  }

  /** How long a shutdown waits for buffered events to reach the store. */
  public static final long FLUSH_TIMEOUT_MILLIS = 10_000;
}
