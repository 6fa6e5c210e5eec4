package pulse.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady traffic, one pageview per request as browsers send them: visitors arrive at a steady
 * rate, each views {@code --pages} pages spread over {@code --stay} seconds and leaves; together
 * {@code --rate} pageviews a second. In a window of W seconds (W >= stay) that holds about
 * rate * W pageviews and rate / pages * (W + stay) active visitors: the defaults (333/s, 15 pages
 * over 150 s) give 100,000 pageviews and 10,000 visitors in 5 minutes. Visitors already mid-visit
 * at the start make the rate steady at once, so a W-second window is full after W seconds. Runs
 * for {@code --seconds}, or until its stop file appears.
 */
final class Load {
  private Load() {}

  private record Due(long atNanos, long visitor, int page) {}

  static void run(Vertx vertx, Args args) {
    String site = args.text("site", "bench");
    double rate = args.decimal("rate", 333.3);
    int pages = args.integer("pages", 15);
    int stay = args.integer("stay", 150);
    int seconds = args.integer("seconds", 60);
    long firstVisitor = args.integer("first-visitor", 0);
    String prefix = args.text("prefix", "load");
    java.nio.file.Path stopFile = java.nio.file.Path.of(args.text("stop-file", "/nonexistent/stop"));
    Client client = new Client(vertx, args.required("url"), args.integer("connections", 64));
    SplittableRandom random = new SplittableRandom(firstVisitor + 11);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    double arrivalsPerSecond = rate / pages;
    long gapNanos = pages > 1 ? (long) (stay * 1e9 / (pages - 1)) : 0;
    PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> Long.compare(a.atNanos, b.atNanos));
    // visitors who "arrived" during the stay before the start are mid-visit from the first
    // second: the rate is steady at once, and a window of W seconds is full after W seconds
    long prewarmed = args.text("prewarm", "true").equals("true")
        ? (long) (stay * arrivalsPerSecond) : 0;
    for (long i = 0; i < prewarmed; i++) {
      double arrival = -stay + (i + 0.5) / arrivalsPerSecond;
      for (int page = 0; page < pages; page++) {
        double at = arrival + page * gapNanos / 1e9;
        if (at >= 0) {
          due.add(new Due(start + (long) (at * 1e9), firstVisitor + i, page));
          break;
        }
      }
    }
    long[] arrived = {0};
    boolean[] stopped = {false};
    long timer = vertx.setPeriodic(10, t -> {
      long now = System.nanoTime();
      if (now >= end || stopped[0]) {
        return;
      }
      long arrivals = (long) ((now - start) / 1e9 * arrivalsPerSecond);
      for (; arrived[0] < arrivals; arrived[0]++) {
        // arrivals spread evenly within this tick
        due.add(new Due(now, firstVisitor + prewarmed + arrived[0], 0));
      }
      while (!due.isEmpty() && due.peek().atNanos <= now) {
        Due d = due.poll();
        if (d.page + 1 < pages) {
          due.add(new Due(d.atNanos + gapNanos, d.visitor, d.page + 1));
        }
        send(client, site, d.visitor, random).onComplete(ar -> {
          if (ar.succeeded() && ar.result().status() == 202) {
            ok.incrementAndGet();
          } else if (failed.incrementAndGet() <= 3) {
            Stats.progress("load request failed: " + (ar.succeeded()
                ? ar.result().status() + " " + ar.result().body() : ar.cause()));
          }
        });
      }
    });
    int every = args.integer("progress-seconds", 30);
    long nextProgress = start + every * 1_000_000_000L;
    while (System.nanoTime() < end && !stopped[0]) {
      vertx.timer(200).await();
      if (java.nio.file.Files.exists(stopFile)) {
        stopped[0] = true;
      }
      if (System.nanoTime() >= nextProgress) {
        nextProgress += every * 1_000_000_000L;
        Stats.progress(String.format("%s: %.0f s, %,d pageviews sent (%,.0f/s), %d failed", prefix,
            (System.nanoTime() - start) / 1e9, ok.get(),
            ok.get() / ((System.nanoTime() - start) / 1e9), failed.get()));
      }
    }
    vertx.cancelTimer(timer);
    vertx.timer(500).await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    Stats.result(prefix + "_pageviews", ok.get());
    Stats.result(prefix + "_failed", failed.get());
    Stats.result(prefix + "_rate", String.format("%.0f", ok.get() / elapsed));
  }

  private static Future<Client.Response> send(Client client, String site, long visitor,
      SplittableRandom random) {
    return client.send(HttpMethod.POST, "/api/collect", Traffic.headers(visitor),
        Buffer.buffer(Traffic.batch(site, 1, random)));
  }
}
