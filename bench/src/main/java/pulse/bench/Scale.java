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
    int connections = args.integer("connections", 64);
    List<Client> clients = new ArrayList<>();
    for (String url : urls) {
      clients.add(new Client(vertx, url, connections));
    }
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    // at most this many requests in flight: an event that cannot go yet waits here, late (its
    // lateness is what the report shows), rather than in an unbounded queue of the HTTP client
    int maxInFlight = connections * clients.size();
    Pump pump = new Pump();
    // the script ends the load with this file once it has measured (--seconds is the most)
    java.nio.file.Path stopFile = java.nio.file.Path.of(args.text("stop-file", "/nonexistent/stop"));
    pump.start = System.nanoTime();
    long end = pump.start + seconds * 1_000_000_000L;
    Stats lateness = new Stats();
    Runnable[] send = new Runnable[1];
    send[0] = () -> {
      long now = System.nanoTime();
      if (now >= end || pump.stopped) {
        return;
      }
      // every event due by now: the n-th event of the whole load is visitor n % visitors's
      // (n / visitors)-th, at n * heartbeat / visitors seconds
      long due = (long) ((now - pump.start) / 1e9 / heartbeat * visitors) + 1;
      for (; pump.sent < due && pump.inFlight < maxInFlight; pump.sent++) {
        long n = pump.sent;
        long visitor = n % visitors;
        long beat = n / visitors;
        boolean pageview = beat % pagesEvery == 0;
        if (pageview) {
          pump.pageviews++;
        }
        if (n % 100 == 0) {
          lateness.add(now - pump.start - (long) (n * heartbeat * 1e9 / visitors));
        }
        Client client = clients.get((int) ((visitor / sites) % clients.size()));
        String body = event(site(visitor % sites), visitor, beat / pagesEvery,
            pageview ? -1 : (beat % pagesEvery) * (long) (heartbeat * 1000)).encode();
        pump.inFlight++;
        client.send(HttpMethod.POST, "/api/collect", Traffic.headers(visitor), Buffer.buffer(body))
            .onComplete(ar -> {
              pump.inFlight--;
              if (ar.succeeded() && ar.result().status() == 202) {
                ok.incrementAndGet();
              } else if (!pump.stopped && System.nanoTime() < end
                  && failed.incrementAndGet() <= 3) {
                // (once stopped, the client is closing: not a failure)
                Stats.progress("scale request failed: " + (ar.succeeded()
                    ? ar.result().status() + " " + ar.result().body() : ar.cause()));
              }
              send[0].run();
            });
      }
      pump.behind = Math.max(pump.behind, due - pump.sent);
    };
    long timer = vertx.setPeriodic(5, t -> send[0].run());
    int every = args.integer("progress-seconds", 15);
    long nextProgress = pump.start + every * 1_000_000_000L;
    while (System.nanoTime() < end && !pump.stopped) {
      vertx.timer(200).await();
      if (java.nio.file.Files.exists(stopFile)) {
        vertx.runOnContext(v -> pump.stopped = true);
        vertx.timer(50).await();
      }
      if (System.nanoTime() >= nextProgress) {
        nextProgress += every * 1_000_000_000L;
        double elapsed = (System.nanoTime() - pump.start) / 1e9;
        Stats.progress(String.format("%s: %.0f s, %,d events answered 202 (%,.0f/s), most behind"
            + " %,d events, late p99 %s ms, %d failed", prefix, elapsed, ok.get(),
            ok.get() / elapsed, pump.behind, Stats.ms(lateness.percentile(99)), failed.get()));
      }
    }
    vertx.cancelTimer(timer);
    vertx.runOnContext(v -> pump.stopped = true);
    // let the last requests answer
    for (int i = 0; i < 100 && pump.inFlight > 0; i++) {
      vertx.timer(100).await();
    }
    double elapsed = (System.nanoTime() - pump.start) / 1e9;
    Stats.result(prefix + "_unanswered", pump.inFlight);
    Stats.result(prefix + "_events", ok.get());
    Stats.result(prefix + "_pageviews", pump.pageviews);
    Stats.result(prefix + "_failed", failed.get());
    Stats.result(prefix + "_most_behind", pump.behind);
    Stats.result(prefix + "_late_p50_ms", Stats.ms(lateness.percentile(50)));
    Stats.result(prefix + "_late_p99_ms", Stats.ms(lateness.percentile(99)));
    Stats.result(prefix + "_late_max_ms", Stats.ms(lateness.max()));
    Stats.result(prefix + "_rate", String.format("%.0f", ok.get() / elapsed));
  }

  /** The sending state, touched on the client's one event loop only. */
  private static final class Pump {
    long start;
    long sent;
    long pageviews;
    int inFlight;
    long behind;
    volatile boolean stopped;
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
