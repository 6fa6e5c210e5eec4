package pulse.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills a site through POST /api/collect: {@code --visitors} distinct visitors with
 * {@code --pageviews} pageviews each (arrays of at most 100 per request), then waits until Pulse
 * has written them all to the store. Events take Pulse's clock, so they all land in the window.
 */
final class Seed {
  private Seed() {}

  static void run(Vertx vertx, Args args) {
    String site = args.text("site", "bench");
    int visitors = args.integer("visitors", 10_000);
    int perVisitor = args.integer("pageviews", 10);
    long firstVisitor = args.integer("first-visitor", 0);
    int concurrency = args.integer("concurrency", 16);
    Client client = new Client(vertx, args.required("url"), concurrency);
    long total = (long) visitors * perVisitor;
    long started = System.nanoTime();
    AtomicLong sent = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long progress = vertx.setPeriodic(1000, t -> Stats.progress(String.format(
        "seed %s: %,d / %,d pageviews sent (%,.0f/s)", site, sent.get(), total,
        sent.get() / ((System.nanoTime() - started) / 1e9))));

    // requests: visitor v sends ceil(perVisitor / 100) arrays
    int requestsPerVisitor = (perVisitor + 99) / 100;
    long requests = (long) visitors * requestsPerVisitor;
    AtomicLong next = new AtomicLong();
    Promise<Void> done = Promise.promise();
    AtomicLong running = new AtomicLong(concurrency);
    SplittableRandom seedRandom = new SplittableRandom(42);
    for (int w = 0; w < concurrency; w++) {
      SplittableRandom random = seedRandom.split();
      worker(client, site, perVisitor, requestsPerVisitor, requests, firstVisitor, next, sent,
          failed, random, () -> {
            if (running.decrementAndGet() == 0) {
              done.complete();
            }
          });
    }
    done.future().await();
    vertx.cancelTimer(progress);
    double sendSeconds = (System.nanoTime() - started) / 1e9;
    long drainMillis = client.drained(120_000).await();
    double seconds = (System.nanoTime() - started) / 1e9;
    Stats.progress(String.format("seed %s: %,d pageviews of %,d visitors stored in %.1f s "
        + "(sent in %.1f s, buffer drained %d ms later)%s", site, sent.get(), visitors, seconds,
        sendSeconds, drainMillis, failed.get() > 0 ? "; " + failed.get() + " requests FAILED" : ""));
    Stats.result("seed_pageviews", sent.get());
    Stats.result("seed_failed_requests", failed.get());
    Stats.result("seed_events_per_second", String.format("%.0f", sent.get() / seconds));
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " seed requests failed");
    }
  }

  private static void worker(Client client, String site, int perVisitor, int requestsPerVisitor,
      long requests, long firstVisitor, AtomicLong next, AtomicLong sent, AtomicLong failed,
      SplittableRandom random, Runnable finished) {
    long i = next.getAndIncrement();
    if (i >= requests) {
      finished.run();
      return;
    }
    long visitor = firstVisitor + i / requestsPerVisitor;
    int part = (int) (i % requestsPerVisitor);
    int events = Math.min(100, perVisitor - part * 100);
    Buffer body = Buffer.buffer(Traffic.batch(site, events, random));
    send(client, visitor, body).onComplete(ar -> {
      if (ar.succeeded() && ar.result().status() == 202) {
        sent.addAndGet(events);
      } else {
        if (failed.incrementAndGet() <= 3) {
          Stats.progress("seed request failed: " + (ar.succeeded()
              ? ar.result().status() + " " + ar.result().body() : ar.cause()));
        }
      }
      worker(client, site, perVisitor, requestsPerVisitor, requests, firstVisitor, next, sent,
          failed, random, finished);
    });
  }

  /** A full write-behind buffer (503) means "slower": wait a little and send the same again. */
  private static Future<Client.Response> send(Client client, long visitor, Buffer body) {
    return client.send(HttpMethod.POST, "/api/collect", Traffic.headers(visitor), body)
        .compose(r -> r.status() == 503
            ? client.vertx.timer(100).compose(t -> send(client, visitor, body))
            : Future.succeededFuture(r));
  }
}
