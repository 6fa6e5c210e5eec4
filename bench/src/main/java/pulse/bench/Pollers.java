package pulse.bench;

import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --clients} pollers of one site, each GETting its realtime snapshot once a second at its own
 * phase, for {@code --seconds}. Reports the request latency and how many snapshots Pulse computed
 * meanwhile (its pulse_snapshot_site_computations_total of that site) and how many store reads it made.
 */
final class Pollers {
  /** A poll slower than this counts towards the second it was sent in. */
  private static final long SLOW_NANOS = 100_000_000L;

  private Pollers() {}

  /** The five seconds (UTC) with the most polls over 100 ms, most first: "12:03:02 412, ...". */
  static String slowest(Map<Long, AtomicLong> slow) {
    List<Map.Entry<Long, AtomicLong>> seconds = new ArrayList<>(slow.entrySet());
    seconds.sort((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()));
    DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(5, seconds.size()); i++) {
      out.append(i == 0 ? "" : ", ").append(hms.format(Instant.ofEpochSecond(
          seconds.get(i).getKey()))).append(' ').append(seconds.get(i).getValue().get());
    }
    return out.length() == 0 ? "none" : out.toString();
  }

  static void run(Vertx vertx, Args args) {
    String site = args.text("site", "bench");
    int window = args.integer("window", 300);
    int clients = args.integer("clients", 1000);
    int seconds = args.integer("seconds", 30);
    // the polled site's computations only: the minute recorder reads the other sites meanwhile
    String siteLabel = "site=\"" + site + "\"";
    String prefix = args.text("prefix", "poll");
    Client client = new Client(vertx, args.required("url"), clients);
    String uri = "/api/sites/" + site + "/realtime?window=" + window;
    // connect the pool and let every poller start at its own phase within the first second
    client.get(uri).await();
    double computationsBefore =
        client.metric("pulse_snapshot_site_computations_total", siteLabel).await();
    double readsBefore = client.metric("pulse_store_read_seconds_count", null).await();
    Stats stats = new Stats();
    Map<Long, AtomicLong> slow = new ConcurrentHashMap<>();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long warmupNanos = args.integer("warmup-seconds", 3) * 1_000_000_000L;
    SplittableRandom random = new SplittableRandom(7);
    List<Long> timers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long phase = 1 + random.nextInt(1000);
      vertx.setTimer(phase, t -> {
        long id = vertx.setPeriodic(1, 1000, p -> {
          if (System.nanoTime() >= end) {
            return;
          }
          long sent = System.nanoTime();
          client.get(uri).onComplete(ar -> {
            if (ar.succeeded() && ar.result().status() == 200) {
              ok.incrementAndGet();
              // the first seconds open 1,000 connections at once: latency counts after them
              long took = System.nanoTime() - sent;
              if (sent - start >= warmupNanos) {
                stats.add(took);
                if (took > SLOW_NANOS) {
                  // by the wall-clock second it was sent in: a tail with a period shows (at :02
                  // of each minute it would be the minute recorder's reads of the other sites)
                  slow.computeIfAbsent(System.currentTimeMillis() / 1000 - took / 1_000_000_000L,
                      k -> new AtomicLong()).incrementAndGet();
                }
              }
            } else {
              failed.incrementAndGet();
            }
          });
        });
        synchronized (timers) {
          timers.add(id);
        }
      });
    }
    for (int s = 5; s <= seconds; s += 5) {
      vertx.timer(5000).await();
      double computed = client.metric("pulse_snapshot_site_computations_total", siteLabel).await()
          - computationsBefore;
      Stats.progress(String.format("%s: %d s, %,d polls answered (%,.0f/s), %d failed, "
              + "%.0f snapshots computed, p99 %s ms", prefix, s, ok.get(),
          ok.get() / ((System.nanoTime() - start) / 1e9), failed.get(), computed,
          Stats.ms(stats.percentile(99))));
    }
    vertx.timer(Math.max(0, (end - System.nanoTime()) / 1_000_000) + 500).await();
    synchronized (timers) {
      timers.forEach(vertx::cancelTimer);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    double computations = client.metric("pulse_snapshot_site_computations_total", siteLabel).await()
        - computationsBefore;
    double reads = client.metric("pulse_store_read_seconds_count", null).await() - readsBefore;
    Stats.result(prefix + "_clients", clients);
    Stats.result(prefix + "_seconds", String.format("%.1f", elapsed));
    Stats.result(prefix + "_polls_per_second", String.format("%.0f", ok.get() / elapsed));
    Stats.result(prefix + "_failed", failed.get());
    Stats.result(prefix + "_p50_ms", Stats.ms(stats.percentile(50)));
    Stats.result(prefix + "_p99_ms", Stats.ms(stats.percentile(99)));
    Stats.result(prefix + "_slow_seconds", slowest(slow));
    Stats.result(prefix + "_computations", String.format("%.0f", computations));
    Stats.result(prefix + "_computations_per_second", String.format("%.2f", computations / elapsed));
    Stats.result(prefix + "_store_reads_per_second", String.format("%.2f", reads / elapsed));
  }
}
