package pulse.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Did {@code scale}'s load land? Reads every site's realtime snapshot once, one request at a time
 * (instances in turn), and sums {@code present} and {@code activeVisitors}; each site should show
 * the visitors {@code scale} gives it. The same reads time a snapshot of a typical site: a site is
 * read once here, so (unless the minute recorder computed it in the same tick) each read is a
 * fresh computation, which the instances' pulse_snapshot_computations_total confirms.
 */
final class ScaleCheck {
  private ScaleCheck() {}

  static void run(Vertx vertx, Args args) {
    String[] urls = args.required("urls").split(",");
    int visitors = args.integer("visitors", 100_000);
    int sites = args.integer("sites", 1_000);
    int window = args.integer("window", 300);
    String prefix = args.text("prefix", "check");
    List<Client> clients = new ArrayList<>();
    for (String url : urls) {
      clients.add(new Client(vertx, url, 1));
    }
    double computationsBefore = computations(clients);
    Stats latency = new Stats();
    long present = 0;
    long active = 0;
    int sitesOff = 0;
    // the first few sites off their share: site:present/active/expected
    StringBuilder offSites = new StringBuilder();
    List<Integer> off = new ArrayList<>();
    int failed = 0;
    long fewest = Long.MAX_VALUE;
    long most = 0;
    long start = System.nanoTime();
    // a store too slow to answer (503s after its timeouts) must not hold the run for hours
    long deadline = start + args.integer("max-seconds", 150) * 1_000_000_000L;
    int read = 0;
    for (int s = 0; s < sites && System.nanoTime() < deadline; s++, read++) {
      Client client = clients.get(s % clients.size());
      long sent = System.nanoTime();
      Client.Response r = client.get("/api/sites/" + Scale.site(s) + "/realtime?window=" + window)
          .await();
      latency.add(System.nanoTime() - sent);
      if (r.status() != 200) {
        if (++failed <= 3) {
          Stats.progress("realtime of " + Scale.site(s) + ": " + r.status() + " " + r.body());
        }
        continue;
      }
      JsonObject snapshot = r.body().toJsonObject();
      long sitePresent = snapshot.getLong("present");
      present += sitePresent;
      active += snapshot.getLong("activeVisitors");
      fewest = Math.min(fewest, sitePresent);
      most = Math.max(most, sitePresent);
      long expected = visitors / sites + (s < visitors % sites ? 1 : 0);
      if (sitePresent != expected) {
        off.add(s);
        if (++sitesOff <= 5) {
          offSites.append(offSites.length() == 0 ? "" : ",").append(Scale.site(s)).append(':')
              .append(sitePresent).append('/').append(snapshot.getLong("activeVisitors"))
              .append('/').append(expected);
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double computed = computations(clients) - computationsBefore;
    // a site off its share, read again in a later tick: a visitor whose event was stored between
    // a snapshot's time and its read is left out of that snapshot only, and counts in the next
    int stillOff = 0;
    if (!off.isEmpty()) {
      vertx.timer(1_100).await();
      for (int s : off) {
        long expected = visitors / sites + (s < visitors % sites ? 1 : 0);
        Client.Response r = clients.get(s % clients.size())
            .get("/api/sites/" + Scale.site(s) + "/realtime?window=" + window).await();
        if (r.status() != 200 || r.body().toJsonObject().getLong("present") != expected) {
          stillOff++;
        }
      }
    }
    Stats.result(prefix + "_still_off", stillOff);
    Stats.result(prefix + "_sites_read", read);
    Stats.result(prefix + "_present", present);
    Stats.result(prefix + "_active", active);
    Stats.result(prefix + "_sites_off", sitesOff);
    Stats.result(prefix + "_off", offSites);
    Stats.result(prefix + "_failed", failed);
    Stats.result(prefix + "_site_present_min", fewest == Long.MAX_VALUE ? 0 : fewest);
    Stats.result(prefix + "_site_present_max", most);
    Stats.result(prefix + "_seconds", String.format("%.1f", seconds));
    Stats.result(prefix + "_computations", String.format("%.0f", computed));
    Stats.result(prefix + "_p50_ms", Stats.ms(latency.percentile(50)));
    Stats.result(prefix + "_p90_ms", Stats.ms(latency.percentile(90)));
    Stats.result(prefix + "_p99_ms", Stats.ms(latency.percentile(99)));
    Stats.result(prefix + "_max_ms", Stats.ms(latency.max()));
  }

  private static double computations(List<Client> clients) {
    double total = 0;
    for (Client c : clients) {
      total += c.metric("pulse_snapshot_computations_total", null).await();
    }
    return total;
  }
}
