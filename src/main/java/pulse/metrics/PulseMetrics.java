package pulse.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/** What Pulse counts, in a Prometheus registry served at GET /metrics. */
public final class PulseMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter accepted;
  private final Counter bots;
  private final Counter spam;
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
  private final Timer storeWrites;
  private final Timer storeReads;

  public PulseMetrics() {
    accepted = Counter.builder("pulse_events_accepted").description("events taken by ingest")
        .register(registry);
    bots = Counter.builder("pulse_bots_dropped").description("events from bots, answered, not stored")
        .register(registry);
    spam = Counter.builder("pulse_spam_dropped")
        .description("events with a known spam referrer, answered, not stored").register(registry);
    storeWrites = Timer.builder("pulse_store_write").description("one batch written to the store")
        .publishPercentiles(0.5, 0.99).register(registry);
    storeReads = Timer.builder("pulse_store_read").description("one window read from the store")
        .publishPercentiles(0.5, 0.99).register(registry);
    new JvmMemoryMetrics().bindTo(registry);
  }

  public void accepted(int events) {
    accepted.increment(events);
  }

  public void botsDropped(int events) {
    bots.increment(events);
  }

  public void spamDropped(int events) {
    spam.increment(events);
  }

  /** An ingest request refused, by reason (invalid, unknown_site, forbidden, too_large, ...). */
  public void rejected(String reason, int events) {
    rejected.computeIfAbsent(reason, r -> Counter.builder("pulse_events_rejected")
        .description("events refused by ingest").tag("reason", r).register(registry))
        .increment(events);
  }

  public <T> Future<T> timeWrite(Supplier<Future<T>> write) {
    return time(storeWrites, write);
  }

  public <T> Future<T> timeRead(Supplier<Future<T>> read) {
    return time(storeReads, read);
  }

  private static <T> Future<T> time(Timer timer, Supplier<Future<T>> operation) {
    long start = System.nanoTime();
    return operation.get().onComplete(ar -> timer.record(Duration.ofNanos(System.nanoTime() - start)));
  }

  public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
    Gauge.builder(name, source, value).description(description).register(registry);
  }

  public <T> void counter(String name, String description, T source, ToDoubleFunction<T> value) {
    FunctionCounter.builder(name, source, value).description(description).register(registry);
  }

  /** A counter with one label, e.g. per site ({@code tag} "site", {@code tagValue} its id). */
  public <T> void counter(String name, String description, T source, ToDoubleFunction<T> value,
      String tag, String tagValue) {
    FunctionCounter.builder(name, source, value).description(description).tag(tag, tagValue)
        .register(registry);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }
}
