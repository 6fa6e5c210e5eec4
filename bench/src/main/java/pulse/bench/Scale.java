package pulse.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --visitors} visitors who stay present on {@code --sites} sites, as Pulse's tracker keeps a
 * reader present: a pageview, then a heartbeat every {@code --heartbeat} seconds (script.js's
 * default, 30 s, inside the 45 s presence), and a new pageview every {@code --page-seconds} (60)
 * in place of a heartbeat. One event per request, as the tracker's {@code sendBeacon} sends them
 * (the visitor is the request's address and user agent, so a batch can only be one visitor's).
 *
 * <p>Visitor v reads site {@code v % sites} and goes to instance {@code (v / sites) % instances},
 * so every site is reached through every instance, as behind a load balancer. Visitor v's events
 * fall at {@code v / visitors} of each heartbeat period: the first pageviews arrive evenly over
 * the first period (all visitors present after it), then the rate is a steady
 * {@code visitors / heartbeat} events a second.
 */
final class Scale {
  private Scale() {}

  static void run(Vertx vertx, Args args) {
    String[] urls = args.required("urls").split(",");
    int visitors = args.integer("visitors", 100_000);
    int sites = args.integer("sites", 1_000);
    int seconds = args.integer("seconds", 180);
    double heartbeat = args.decimal("heartbeat", 30);
    int pagesEvery = Math.max(1, (int) Math.round(args.decimal("page-seconds", 60) / heartbeat));
    String prefix = args.text("prefix", "scale");
    int connections = args.integer("connections", 32);
    List<Client> clients = new ArrayList<>();
    for (String url : urls) {
      clients.add(new Client(vertx, url, connections));
    }
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    long[] pageviews = {0};
    long[] maxInFlight = {0};
    long[] sent = {0};
    // the script ends the load with this file once it has measured (--seconds is the most)
    java.nio.file.Path stopFile = java.nio.file.Path.of(args.text("stop-file", "/nonexistent/stop"));
    boolean[] stopped = {false};
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long timer = vertx.setPeriodic(5, t -> {
      long now = System.nanoTime();
      if (now >= end || stopped[0]) {
        return;
      }
      // every event due by now: the n-th event of the whole load is visitor n % visitors's
      // (n / visitors)-th, at n * heartbeat / visitors seconds
      long due = (long) ((now - start) / 1e9 / heartbeat * visitors) + 1;
      for (; sent[0] < due; sent[0]++) {
        long n = sent[0];
        long visitor = n % visitors;
        long beat = n / visitors;
        boolean pageview = beat % pagesEvery == 0;
        if (pageview) {
          pageviews[0]++;
        }
        Client client = clients.get((int) ((visitor / sites) % clients.size()));
        String body = event(site(visitor % sites), visitor, beat / pagesEvery,
            pageview ? -1 : (beat % pagesEvery) * (long) (heartbeat * 1000)).encode();
        inFlight.incrementAndGet();
        client.send(HttpMethod.POST, "/api/collect", Traffic.headers(visitor), Buffer.buffer(body))
            .onComplete(ar -> {
              inFlight.decrementAndGet();
              if (ar.succeeded() && ar.result().status() == 202) {
                ok.incrementAndGet();
              } else if (!stopped[0] && System.nanoTime() < end
                  && failed.incrementAndGet() <= 3) {
                // (past the end plus the last answers' wait, the client is closing: not a failure)
                Stats.progress("scale request failed: " + (ar.succeeded()
                    ? ar.result().status() + " " + ar.result().body() : ar.cause()));
              }
            });
      }
      maxInFlight[0] = Math.max(maxInFlight[0], inFlight.get());
    });
    int every = args.integer("progress-seconds", 15);
    long nextProgress = start + every * 1_000_000_000L;
    while (System.nanoTime() < end && !stopped[0]) {
      vertx.timer(200).await();
      stopped[0] = java.nio.file.Files.exists(stopFile);
      if (System.nanoTime() >= nextProgress) {
        nextProgress += every * 1_000_000_000L;
        double elapsed = (System.nanoTime() - start) / 1e9;
        Stats.progress(String.format("%s: %.0f s, %,d events answered 202 (%,.0f/s), %,d in flight"
            + " (most %,d), %d failed", prefix, elapsed, ok.get(), ok.get() / elapsed,
            inFlight.get(), maxInFlight[0], failed.get()));
      }
    }
    vertx.cancelTimer(timer);
    // let the last requests answer
    for (int i = 0; i < 100 && inFlight.get() > 0; i++) {
      vertx.timer(100).await();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Stats.result(prefix + "_unanswered", inFlight.get());
    Stats.result(prefix + "_events", ok.get());
    Stats.result(prefix + "_pageviews", pageviews[0]);
    Stats.result(prefix + "_failed", failed.get());
    Stats.result(prefix + "_max_in_flight", maxInFlight[0]);
    Stats.result(prefix + "_rate", String.format("%.0f", ok.get() / elapsed));
  }

  /** Site i of the bench's sites file: s0000, s0001, ... */
  static String site(long i) {
    return String.format("s%04d", i);
  }

  /**
   * The visitor's page-th pageview, or (engagedMillis >= 0) a heartbeat on that page: the same
   * URL, as the tracker sends from the open page.
   */
  static JsonObject event(String site, long visitor, long page, long engagedMillis) {
    SplittableRandom random = new SplittableRandom(visitor * 1_000_003L + page);
    JsonObject pageview = Traffic.pageview(site, random);
    if (engagedMillis < 0) {
      return pageview;
    }
    return new JsonObject().put("site", site).put("type", "heartbeat")
        .put("url", pageview.getString("url")).put("engaged", engagedMillis);
  }
}
