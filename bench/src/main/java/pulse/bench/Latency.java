package pulse.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Latency of one snapshot: sequential GET /api/sites/{site}/realtime, spaced wider than Pulse's
 * tick (run it with a short realtime.tickMillis), so every request computes a new snapshot: a
 * store read, the snapshot arithmetic and its JSON. Checks with /metrics that each one did.
 */
final class Latency {
  private Latency() {}

  static void run(Vertx vertx, Args args) {
    String site = args.text("site", "bench");
    int window = args.integer("window", 300);
    int samples = args.integer("samples", 200);
    int warmup = args.integer("warmup", 30);
    int intervalMillis = args.integer("interval-ms", 50);
    // warm-up requests may come faster than the samples: the JIT compiles what a long-running
    // instance has compiled long since, without minutes of one-a-second requests
    int warmupIntervalMillis = args.integer("warmup-interval-ms", intervalMillis);
    // the polled site's computations only: the minute recorder reads the other sites meanwhile
    String siteLabel = "site=\"" + site + "\"";
    String prefix = args.text("prefix", "snapshot");
    Client client = new Client(vertx, args.required("url"), 1);
    String filter = args.text("filter", "");
    String uri = "/api/sites/" + site + "/realtime?window=" + window + (filter.isEmpty() ? ""
        : "&filter=" + java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8));
    Stats stats = new Stats();
    double computationsBefore = Double.NaN;
    JsonObject last = null;
    int bytes = 0;
    long first = -1;
    for (int i = 0; i < warmup + samples; i++) {
      if (i == warmup) {
        computationsBefore =
            client.metric("pulse_snapshot_site_computations_total", siteLabel).await();
        vertx.timer(intervalMillis).await();
      }
      long start = System.nanoTime();
      Client.Response r = client.get(uri).await();
      long took = System.nanoTime() - start;
      if (r.status() != 200) {
        throw new IllegalStateException(uri + " answered " + r.status() + ": " + r.body());
      }
      if (i >= warmup) {
        stats.add(took);
      }
      if (i == 0) {
        first = took; // with --warmup 0 right after a flood: the first snapshot after it
      }
      last = r.body().toJsonObject();
      bytes = r.body().length();
      if ((i + 1) % 50 == 0) {
        Stats.progress(String.format("%s: %d/%d requests, p50 %s ms, p99 %s ms so far", prefix,
            i + 1, warmup + samples, Stats.ms(stats.percentile(50)), Stats.ms(stats.percentile(99))));
      }
      long left = (i < warmup ? warmupIntervalMillis : intervalMillis) - took / 1_000_000;
      if (left > 0) {
        vertx.timer(left).await();
      }
    }
    double computations = client.metric("pulse_snapshot_site_computations_total", siteLabel).await()
        - computationsBefore;
    Stats.progress(String.format("%s: %d visitors, %d pageviews in the window; %d samples, "
            + "p50 %s ms, p99 %s ms, max %s ms; %.0f computations", prefix,
        last.getLong("activeVisitors"), last.getLong("pageviews"), samples,
        Stats.ms(stats.percentile(50)), Stats.ms(stats.percentile(99)), Stats.ms(stats.max()),
        computations));
    Stats.result(prefix + "_active_visitors", last.getLong("activeVisitors"));
    Stats.result(prefix + "_pageviews", last.getLong("pageviews"));
    Stats.result(prefix + "_json_bytes", bytes);
    Stats.result(prefix + "_samples", samples);
    Stats.result(prefix + "_computations", String.format("%.0f", computations));
    Stats.result(prefix + "_p50_ms", Stats.ms(stats.percentile(50)));
    Stats.result(prefix + "_p99_ms", Stats.ms(stats.percentile(99)));
    Stats.result(prefix + "_max_ms", Stats.ms(stats.max()));
    Stats.result(prefix + "_first_ms", Stats.ms(first));
  }
}
