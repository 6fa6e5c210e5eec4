package pulse.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** HTTP to one Pulse instance, and what its /metrics and /proc say about it. */
final class Client {
  record Response(int status, Buffer body) {}

  final Vertx vertx;
  final HttpClient http;
  final String host;
  final int port;

  Client(Vertx vertx, String url, int connections) {
    this(vertx, url, connections, null);
  }

  Client(Vertx vertx, String url, int connections, String localAddress) {
    URI uri = URI.create(url);
    this.vertx = vertx;
    this.host = uri.getHost();
    this.port = uri.getPort();
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        // let go of idle connections well before Pulse closes them (http.requestTimeoutMillis,
        // 30 s): at the same 30 s, a request sent on a connection as Pulse closed it failed
        .setKeepAliveTimeout(20)
        .setIdleTimeout(0);
    if (localAddress != null) {
      options.setLocalAddress(localAddress);
    }
    this.http = vertx.createHttpClient(options,
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
  }

  Future<Response> send(HttpMethod method, String uri, MultiMap headers, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port)
        .setURI(uri);
    if (headers != null) {
      options.setHeaders(headers);
    }
    return http.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b)));
  }

  Future<Response> get(String uri) {
    return send(HttpMethod.GET, uri, null, null);
  }

  /** One series of GET /metrics, summed over its label sets that contain {@code labels}. */
  Future<Double> metric(String name, String labels) {
    return get("/metrics").map(r -> sum(r.body().toString(), name, labels));
  }

  static double sum(String text, String name, String labels) {
    double total = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      String bare = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
      if (!bare.equals(name) || (labels != null && !series.contains(labels))) {
        continue;
      }
      total += Double.parseDouble(line.substring(space + 1));
      found = true;
    }
    return found ? total : Double.NaN;
  }

  /** Heap in use, in bytes, as Pulse's Micrometer JVM metrics say. */
  Future<Double> heapUsed() {
    return metric("jvm_memory_used_bytes", "area=\"heap\"");
  }

  /** Waits until Pulse's write-behind buffer is empty (all accepted events are in the store). */
  Future<Long> drained(long timeoutMillis) {
    long start = System.currentTimeMillis();
    return drainedSince(start, timeoutMillis);
  }

  private Future<Long> drainedSince(long start, long timeoutMillis) {
    return metric("pulse_buffer_events", null).compose(buffered -> {
      if (buffered == 0) {
        return Future.succeededFuture(System.currentTimeMillis() - start);
      }
      if (System.currentTimeMillis() - start > timeoutMillis) {
        return Future.failedFuture("the write-behind buffer still holds " + buffered + " events");
      }
      return vertx.timer(50).compose(t -> drainedSince(start, timeoutMillis));
    });
  }

  /** CPU time (user + system) of a process in seconds, from /proc; NaN when unknown. */
  static double cpuSeconds(long pid) {
    if (pid <= 0) {
      return Double.NaN;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (Exception e) {
      return Double.NaN;
    }
  }
}
