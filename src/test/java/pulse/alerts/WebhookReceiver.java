package pulse.alerts;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real HTTP server that takes webhooks: keeps each request and answers the statuses queued. */
final class WebhookReceiver implements AutoCloseable {
  /** One request as received: its headers and the exact body text. */
  record Received(Map<String, String> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

  WebhookReceiver() {
    try {
      server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        Map<String, String> headers = new java.util.HashMap<>();
        req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
        received.add(new Received(headers, body.toString()));
        Integer status = statuses.poll();
        req.response().setStatusCode(status == null ? 200 : status).end("ok");
      })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hook";
  }

  /** The next requests get these statuses, in order; then 200. */
  void answer(Integer... next) {
    statuses.addAll(List.of(next));
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  /** Waits until {@code count} requests match, or the timeout passes; returns the matching. */
  List<Received> await(Predicate<Received> which, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Received> matching = received.stream().filter(which).toList();
      if (matching.size() >= count || System.nanoTime() > deadline) {
        return matching;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return matching;
      }
    }
  }

  static Predicate<Received> state(String state) {
    return r -> state.equals(r.json().getString("state"));
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort
    }
  }
}
