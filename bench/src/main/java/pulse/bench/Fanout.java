package pulse.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code --streams} Server-Sent Event streams of one site (from several local addresses, so the
 * client does not run out of ports), then one pageview a second with a numbered path
 * (/lag/N) for {@code --seconds}. Each stream notes when a frame first shows /lag/N: the delivery
 * lag is that time minus the time the pageview was sent. Samples Pulse's heap (/metrics) and CPU
 * (/proc) every second, and counts the bytes and messages the streams get while the pageviews
 * run: bytes per push per stream. {@code --delta merge-patch} or {@code --delta json-patch}
 * opens delta streams (a whole snapshot, then merge patches or JSON Patches; the dashboard uses
 * JSON Patch): the probe's path is found in a patch's bytes as in a whole frame (the JSON Patch
 * adds the new pageview to recent with its path), so the client applies nothing.
 */
final class Fanout {
  /** Every run marks its pageviews differently, so a stream never mistakes an older run's. */
  private static final String TAG = Long.toString(System.nanoTime() % 1_000_000, 36);
  private static final byte[] MARK = ("/lag-" + TAG + "/").getBytes();
  /** In counter streams a probe shows as one more active visitor. */
  private static final byte[] COUNT = "\"activeVisitors\":".getBytes();
  /** Every snapshot or patch message has one event line. */
  private static final byte[] EVENT = "event: ".getBytes();

  private Fanout() {}

  private static AtomicLongArray sentWall;
  private static AtomicLongArray snapshotAt;

  /** One open stream: the newest /lag/N it has seen, and the tail of its last chunk. */
  private static final class Stream {
    long newest = -1;
    /** Counter streams: the count before the first probe. */
    long base = -1;
    byte[] carry = new byte[0];
    boolean opened;
    /** The last few bytes of the chunk before, where a cut-off "event: " line may start. */
    byte[] eventTail = new byte[0];
  }

  static void run(Vertx vertx, Args args) {
    String site = args.text("site", "bench");
    String url = args.required("url");
    String ingestUrl = args.text("ingest-url", url);
    int streams = args.integer("streams", 1000);
    int seconds = args.integer("seconds", 60);
    int addresses = args.integer("local-addresses", Math.max(1, streams / 2000 + 1));
    long pid = Long.parseLong(args.text("pulse-pid", "0"));
    String prefix = args.text("prefix", "fanout");
    int window = args.integer("window", 300);
    // snapshot: full frames, probes found by path; counter: the embed's frames (the count only),
    // each probe from a new visitor so that the count moves
    boolean counter = "counter".equals(args.text("view", "snapshot"));
    int visitorBase = (int) (System.nanoTime() / 1000 % 200) + 20;
    String delta = args.text("delta", "");

    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < addresses; i++) {
      clients.add(new Client(vertx, url, streams / addresses + 1, "127.0.0." + (2 + i)));
    }
    // the probe pageviews and the heap samples go out on an event loop of their own: on the
    // stream readers' loops they would wait behind the frames being read, and count as lag
    Vertx probe = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Client control = new Client(probe, url, 4);
    Client ingest = new Client(probe, ingestUrl, 4);

    // sent[N] = nanoTime the pageview /lag/N was sent; lags of every delivery and per event
    AtomicLongArray sent = new AtomicLongArray(seconds + 1);
    // wall-clock send time and the time of the first snapshot (its SSE id) that showed it
    sentWall = new AtomicLongArray(seconds + 1);
    snapshotAt = new AtomicLongArray(seconds + 1);
    long[][] lag = new long[seconds + 1][];
    for (int i = 0; i <= seconds; i++) {
      lag[i] = new long[streams];
      java.util.Arrays.fill(lag[i], -1);
    }
    AtomicInteger open = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    Promise<Void> allOpen = Promise.promise();
    String uri = "/api/sites/" + site + "/stream?window=" + window + (counter ? "&view=counter" : "")
        + (delta.isEmpty() ? "" : "&delta=" + delta);
    // bytes and messages the streams get while the pageviews run (not the first snapshots)
    java.util.concurrent.atomic.AtomicBoolean counting = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.LongAdder bytesRead = new java.util.concurrent.atomic.LongAdder();
    java.util.concurrent.atomic.LongAdder messagesRead = new java.util.concurrent.atomic.LongAdder();
    long openStart = System.nanoTime();
    // open at most 200 at a time, the next when one has its first frame
    AtomicInteger next = new AtomicInteger();
    Runnable[] opener = new Runnable[1];
    opener[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= streams) {
        return;
      }
      Stream stream = new Stream();
      Client c = clients.get(i % clients.size());
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(c.host)
          .setPort(c.port).setURI(uri).setHeaders(MultiMap.caseInsensitiveMultiMap()
              .add("Accept", "text/event-stream"));
      int index = i;
      c.http.request(options).compose(req -> req.send()).onComplete(ar -> {
        if (ar.failed() || ar.result().statusCode() != 200) {
          refused.incrementAndGet();
          if (refused.get() <= 3) {
            Stats.progress("stream refused: " + (ar.failed() ? ar.cause()
                : ar.result().statusCode()));
          }
          if (open.get() + refused.get() == streams) {
            allOpen.tryComplete();
          }
          opener[0].run();
          return;
        }
        HttpClientResponse response = ar.result();
        response.handler(chunk -> {
          if (!stream.opened && chunk.toString().contains("event: snapshot")) {
            stream.opened = true;
            if (open.incrementAndGet() + refused.get() == streams) {
              allOpen.tryComplete();
            }
            opener[0].run();
          }
          scan(stream, chunk, index, sent, lag, counter);
          int messages = countEvents(stream, chunk);
          if (counting.get()) {
            bytesRead.add(chunk.length());
            messagesRead.add(messages);
          }
        });
        response.endHandler(v -> closed.incrementAndGet());
        response.exceptionHandler(err -> closed.incrementAndGet());
      });
    };
    for (int i = 0; i < Math.min(200, streams); i++) {
      opener[0].run();
    }
    long progress = vertx.setPeriodic(2000, t -> Stats.progress(String.format(
        "%s: %,d / %,d streams open", prefix, open.get(), streams)));
    allOpen.future().timeout(300, java.util.concurrent.TimeUnit.SECONDS).await();
    vertx.cancelTimer(progress);
    Stats.progress(String.format("%s: %,d streams open in %.1f s (%d refused)", prefix, open.get(),
        (System.nanoTime() - openStart) / 1e9, refused.get()));
    vertx.timer(3000).await();
    // warm-up: pushes like the measured ones, not counted (the first pushes after the streams
    // opened ran the write path before the JIT had compiled it, and met the collection of the
    // opening's garbage: 450-750 ms where the rest took 230-300)
    int warmup = args.integer("warmup", 5);
    MultiMap warmHeaders = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain")
        .add("User-Agent", Traffic.AGENTS[0]).add("X-Forwarded-For", "10.201.0.1");
    for (int w = 1; w <= warmup; w++) {
      ingest.send(HttpMethod.POST, "/api/collect", warmHeaders, Buffer.buffer("{\"site\":\"" + site
          + "\",\"url\":\"https://" + Traffic.HOST + "/warm-up/" + w + "\"}"));
      vertx.timer(1000).await();
    }
    if (warmup > 0) {
      Stats.progress(String.format("%s: %d warm-up pushes, not counted", prefix, warmup));
    }

    // one pageview a second; heap and CPU sampled every second
    double cpuStart = Client.cpuSeconds(pid);
    long self = ProcessHandle.current().pid();
    double selfCpuStart = Client.cpuSeconds(self);
    long runStart = System.nanoTime();
    counting.set(true);
    AtomicLong heapPeak = new AtomicLong();
    List<Double> heapSamples = new ArrayList<>();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain")
        .add("User-Agent", Traffic.AGENTS[0]);
    for (int n = 1; n <= seconds; n++) {
      long tickStart = System.nanoTime();
      sent.set(n, System.nanoTime());
      sentWall.set(n, System.currentTimeMillis());
      int seq = n;
      MultiMap probeHeaders = MultiMap.caseInsensitiveMultiMap().addAll(headers)
          .add("X-Forwarded-For", counter ? "10." + visitorBase + "." + (seq / 256) + "." + (seq % 256)
              : "10.200.0.1");
      ingest.send(HttpMethod.POST, "/api/collect", probeHeaders, Buffer.buffer(
          "{\"site\":\"" + site + "\",\"url\":\"https://" + Traffic.HOST + "/lag-" + TAG + "/" + seq
              + "\",\"title\":\"Lag probe " + seq + "\"}")).onComplete(ar -> {
        if (ar.failed() || ar.result().status() != 202) {
          Stats.progress("probe " + seq + " not taken: "
              + (ar.failed() ? ar.cause() : ar.result().status()));
        }
      });
      control.heapUsed().onSuccess(h -> {
        synchronized (heapSamples) {
          heapSamples.add(h);
        }
        heapPeak.accumulateAndGet(h.longValue(), Math::max);
      });
      if (n % 10 == 0) {
        int upTo = Math.max(1, n - 2);
        Stats progressStats = eventLags(lag, 1, upTo, streams);
        Stats.progress(String.format("%s: %d/%d pageviews, last-stream lag p50 %s ms p99 %s ms, "
                + "heap %.0f MB, %d streams open", prefix, n, seconds,
            Stats.ms(progressStats.percentile(50)), Stats.ms(progressStats.percentile(99)),
            heapPeak.get() / 1e6, open.get() - closed.get()));
      }
      long left = 1000 - (System.nanoTime() - tickStart) / 1_000_000;
      if (left > 0) {
        vertx.timer(left).await();
      }
    }
    vertx.timer(3000).await();
    counting.set(false);
    double runSeconds = (System.nanoTime() - runStart) / 1e9;
    double cpu = (Client.cpuSeconds(pid) - cpuStart) / runSeconds * 100;
    double clientCpu = (Client.cpuSeconds(self) - selfCpuStart) / runSeconds * 100;

    Stats perEvent = eventLags(lag, 1, seconds, streams);
    Stats perDelivery = new Stats();
    long missing = 0;
    for (int n = 1; n <= seconds; n++) {
      for (int s = 0; s < streams; s++) {
        if (lag[n][s] >= 0) {
          perDelivery.add(lag[n][s]);
        } else {
          missing++;
        }
      }
    }
    Stats.progress(String.format("%s: %d streams, %d pageviews: last-stream lag p50 %s ms, p99 %s ms; "
            + "every delivery p50 %s ms, p99 %s ms; %d deliveries missing; heap peak %.0f MB; "
            + "Pulse CPU %.0f%% of one core (this client %.0f%%)", prefix, open.get(), seconds,
        Stats.ms(perEvent.percentile(50)), Stats.ms(perEvent.percentile(99)),
        Stats.ms(perDelivery.percentile(50)), Stats.ms(perDelivery.percentile(99)), missing,
        heapPeak.get() / 1e6, cpu, clientCpu));
    Stats computedAfter = new Stats();
    StringBuilder series = new StringBuilder();
    for (int n = 1; n <= seconds; n++) {
      if (snapshotAt.get(n) > 0) {
        computedAfter.add((snapshotAt.get(n) - sentWall.get(n)) * 1_000_000L);
      }
      long last = -1;
      for (int s = 0; s < streams; s++) {
        last = Math.max(last, lag[n][s]);
      }
      series.append(n == 1 ? "" : " ").append(last < 0 ? "-" : Stats.ms(last))
          .append('/').append(snapshotAt.get(n) > 0 ? snapshotAt.get(n) - sentWall.get(n) : "-");
    }
    // where a tail comes from: one slow push (a pause, a burst before it) or every push
    Stats.progress(String.format("%s: per pageview, ms to the last stream / to the snapshot "
        + "computed: %s", prefix, series));
    Stats.progress(String.format("%s: the snapshot showing a pageview was computed p50 %s ms, p99 %s ms "
        + "after it was sent (the rest of the lag is writing the frames out and reading them)", prefix,
        Stats.ms(computedAfter.percentile(50)), Stats.ms(computedAfter.percentile(99))));
    Stats.result(prefix + "_computed_p50_ms", Stats.ms(computedAfter.percentile(50)));
    Stats.result(prefix + "_computed_p99_ms", Stats.ms(computedAfter.percentile(99)));
    Stats.result(prefix + "_streams", open.get());
    Stats.result(prefix + "_refused", refused.get());
    Stats.result(prefix + "_closed", closed.get());
    Stats.result(prefix + "_events", seconds);
    Stats.result(prefix + "_last_p50_ms", Stats.ms(perEvent.percentile(50)));
    Stats.result(prefix + "_last_p99_ms", Stats.ms(perEvent.percentile(99)));
    Stats.result(prefix + "_last_max_ms", Stats.ms(perEvent.max()));
    Stats.result(prefix + "_delivery_p50_ms", Stats.ms(perDelivery.percentile(50)));
    Stats.result(prefix + "_delivery_p99_ms", Stats.ms(perDelivery.percentile(99)));
    Stats.result(prefix + "_missing", missing);
    Stats.result(prefix + "_heap_peak_mb", String.format("%.0f", heapPeak.get() / 1e6));
    Stats.result(prefix + "_cpu_percent", String.format("%.0f", cpu));
    long messages = messagesRead.sum();
    long bytesPerPush = messages == 0 ? 0 : bytesRead.sum() / messages;
    Stats.progress(String.format("%s: %,d messages read while the pageviews ran, %,d bytes: %,d bytes "
        + "per push per stream (SSE body; keep-alive comments included)", prefix, messages,
        bytesRead.sum(), bytesPerPush));
    Stats.result(prefix + "_messages", messages);
    Stats.result(prefix + "_bytes_per_push", bytesPerPush);
    Stats.result(prefix + "_client_cpu_percent", String.format("%.0f", clientCpu));
  }

  /**
   * The "event: " lines (one per message) in the chunk, counting a line cut by the chunk before
   * once: the tail kept is shorter than the line, so a match found with it ends in this chunk.
   */
  private static int countEvents(Stream stream, Buffer chunk) {
    byte[] fresh = chunk.getBytes();
    byte[] data = new byte[stream.eventTail.length + fresh.length];
    System.arraycopy(stream.eventTail, 0, data, 0, stream.eventTail.length);
    System.arraycopy(fresh, 0, data, stream.eventTail.length, fresh.length);
    int count = 0;
    outer:
    for (int i = 0; i + EVENT.length <= data.length; i++) {
      for (int k = 0; k < EVENT.length; k++) {
        if (data[i + k] != EVENT[k]) {
          continue outer;
        }
      }
      count++;
    }
    int keep = Math.min(data.length, EVENT.length - 1);
    stream.eventTail = java.util.Arrays.copyOfRange(data, data.length - keep, data.length);
    return count;
  }

  /** The SSE id (the snapshot's time) of the first frame in the data, or -1. */
  private static long frameId(byte[] data) {
    for (int i = 0; i + 4 < data.length; i++) {
      if (data[i] == 'i' && data[i + 1] == 'd' && data[i + 2] == ':' && data[i + 3] == ' ') {
        long v = 0;
        int j = i + 4;
        while (j < data.length && data[j] >= '0' && data[j] <= '9') {
          v = v * 10 + (data[j++] - '0');
        }
        return v;
      }
    }
    return -1;
  }

  /**
   * Calls {@code found} with the number right after each complete occurrence of {@code mark} in
   * the data (one whose number is not cut off by the end of the data).
   */
  private static void numbersAfter(byte[] data, byte[] mark, java.util.function.LongConsumer found) {
    int i = 0;
    outer:
    while (i <= data.length - mark.length) {
      for (int k = 0; k < mark.length; k++) {
        if (data[i + k] != mark[k]) {
          i++;
          continue outer;
        }
      }
      int j = i + mark.length;
      long v = 0;
      int digits = 0;
      while (j < data.length && data[j] >= '0' && data[j] <= '9') {
        v = v * 10 + (data[j++] - '0');
        digits++;
      }
      if (j < data.length && digits > 0) {
        found.accept(v);
      }
      i = j;
    }
  }

  /** Per pageview, the lag to the last stream that got it (streams that never did are skipped). */
  private static Stats eventLags(long[][] lag, int from, int to, int streams) {
    Stats stats = new Stats();
    for (int n = from; n <= to; n++) {
      long max = -1;
      for (int s = 0; s < streams; s++) {
        max = Math.max(max, lag[n][s]);
      }
      if (max >= 0) {
        stats.add(max);
      }
    }
    return stats;
  }

  /** Finds /lag/N in a chunk (and the tail of the one before) and records newly seen N. */
  private static void scan(Stream stream, Buffer chunk, int index, AtomicLongArray sent, long[][] lag,
      boolean counter) {
    long now = System.nanoTime();
    byte[] fresh = chunk.getBytes();
    byte[] data;
    if (stream.carry.length == 0) {
      data = fresh;
    } else {
      data = new byte[stream.carry.length + fresh.length];
      System.arraycopy(stream.carry, 0, data, 0, stream.carry.length);
      System.arraycopy(fresh, 0, data, stream.carry.length, fresh.length);
    }
    long[] seen = {stream.newest};
    if (counter) {
      // counter streams: the probes shown so far are the count above the first one seen
      numbersAfter(data, COUNT, v -> {
        if (stream.base < 0) {
          stream.base = v;
        }
        seen[0] = Math.max(seen[0], v - stream.base);
      });
    } else {
      numbersAfter(data, MARK, n -> seen[0] = Math.max(seen[0], n));
    }
    long newest = seen[0];
    if (newest > stream.newest) {
      for (long n = Math.max(1, stream.newest + 1); n <= newest && n < sent.length(); n++) {
        long at = sent.get((int) n);
        if (at > 0 && lag[(int) n][index] < 0) {
          lag[(int) n][index] = now - at;
        }
      }
      stream.newest = newest;
      if (newest < snapshotAt.length() && snapshotAt.get((int) newest) == 0) {
        long id = frameId(data);
        if (id > 0) {
          snapshotAt.compareAndSet((int) newest, 0, id);
        }
      }
    }
    int keep = Math.min(data.length, 24);
    stream.carry = java.util.Arrays.copyOfRange(data, data.length - keep, data.length);
  }
}
