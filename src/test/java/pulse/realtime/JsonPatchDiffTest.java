package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The json-patch streams' differ (RFC 6902): applied to the document before, its operations give
 * the document after, over sequences of realistic snapshots; and a new pageview costs an add and
 * a remove, not the newest 50 pageviews again.
 */
class JsonPatchDiffTest {
  private static final long AT = 1_795_442_400_250L;
  private static final String[] COUNTRIES = {"DE", "US", "FR", "GB", "JP", "BR", "IN"};
  private static final String[] BROWSERS = {"Chrome", "Firefox", "Safari", "Edge"};

  /** The operations from one document to the next, checked to give the next when applied. */
  private static JsonNode diffApplied(Buffer from, Buffer to) {
    JsonNode before = JsonPatchDiff.parse(from);
    JsonNode after = JsonPatchDiff.parse(to);
    JsonNode patch = JsonPatchDiff.diff(before, after);
    // as the streams send it: encoded, and read back by the client
    JsonNode sent = JsonPatchDiff.parse(JsonPatchDiff.encode(patch));
    assertEquals(after, JsonPatchDiff.apply(sent, before), () -> "patch " + sent);
    assertEquals(JsonPatchDiff.parse(from), before, "the document before is not changed");
    for (JsonNode op : sent) {
      assertTrue(Set.of("add", "remove", "replace").contains(op.path("op").asText()),
          () -> "only add, remove and replace (the dashboard applies those): " + op);
    }
    return sent;
  }

  private static Snapshot.RecentPageview pageview(int n, Random random) {
    return new Snapshot.RecentPageview("/articles/" + n + "/a-longer-path-like-real-ones",
        "Article number " + n + " — a title", random.nextInt(3) == 0 ? null
            : "news.example" + random.nextInt(4), COUNTRIES[random.nextInt(COUNTRIES.length)],
        BROWSERS[random.nextInt(BROWSERS.length)], "Linux", "desktop", AT + n * 1000L);
  }

  private static List<Snapshot.NameStat> names(Random random, String... names) {
    List<Snapshot.NameStat> out = new ArrayList<>();
    for (String name : names) {
      if (random.nextInt(4) > 0) {
        out.add(new Snapshot.NameStat(name, 1 + random.nextInt(50)));
      }
    }
    out.sort((a, b) -> Long.compare(b.visitors(), a.visitors()));
    return out;
  }

  private static Buffer json(long time, List<Snapshot.RecentPageview> recent, Random random,
      boolean stale) {
    List<Snapshot.PageStat> pages = new ArrayList<>();
    int top = random.nextInt(10);
    for (int i = 0; i < top; i++) {
      pages.add(new Snapshot.PageStat("/p" + random.nextInt(15), 30 - i, 40 - i, random.nextInt(5),
          random.nextInt(90)));
    }
    List<Snapshot.CountryStat> countries = new ArrayList<>();
    for (String code : COUNTRIES) {
      if (random.nextBoolean()) {
        countries.add(new Snapshot.CountryStat(code, 1 + random.nextInt(9)));
      }
    }
    Map<String, List<Snapshot.PropValue>> props = new LinkedHashMap<>();
    props.put("plan", List.of(new Snapshot.PropValue("pro", random.nextInt(4))));
    List<Snapshot.EventStat> events = random.nextBoolean() ? List.of()
        : List.of(new Snapshot.EventStat("signup", random.nextInt(9), 2, props));
    List<Snapshot.MinuteStat> perMinute = new ArrayList<>();
    for (int m = 0; m < 5; m++) {
      perMinute.add(new Snapshot.MinuteStat(time / 60_000 - 4 + m, random.nextInt(30),
          random.nextInt(60)));
    }
    Baseline baseline = switch (random.nextInt(3)) {
      case 0 -> null;
      case 1 -> new Baseline(12L, null, null, null);
      default -> new Baseline(12L, 3L, 11.5, 1.0 + random.nextInt(100) / 100.0);
    };
    Snapshot snapshot = new Snapshot("demo", 300, time, random.nextInt(40), random.nextInt(20),
        random.nextInt(40), 1000 + random.nextInt(100), pages,
        List.of(new Snapshot.EntryPageStat("/", random.nextInt(9))),
        List.of(new Snapshot.ReferrerStat("news.example", random.nextInt(9))), countries,
        names(random, BROWSERS), names(random, "Linux", "Windows", "iOS"),
        names(random, "desktop", "mobile"),
        new Snapshot.Campaigns(names(random, "newsletter"), List.of(), List.of()), events,
        Map.of("crawler", (long) random.nextInt(3)), perMinute, List.copyOf(recent),
        new Snapshot.Today(random.nextInt(500), random.nextInt(900)), List.of(), List.of(),
        null).withBaseline(baseline);
    Buffer data = SnapshotService.serialise(snapshot);
    // a frame sent while the store cannot be read carries "stale": true
    return stale ? SseFrames.staleData(snapshot, data, false) : data;
  }

  @Test
  void appliedInOrderThePatchesGiveEverySnapshotOfARandomSequence() {
    for (long seed = 1; seed <= 8; seed++) {
      Random random = new Random(seed);
      List<Snapshot.RecentPageview> recent = new ArrayList<>();
      int n = 0;
      for (int i = 0; i < 30; i++) {
        recent.add(pageview(n++, random));
      }
      Buffer before = json(AT, recent, random, false);
      for (int step = 1; step <= 40; step++) {
        switch (random.nextInt(6)) {
          case 0, 1 -> { // new pageviews at the front, the oldest out past 50
            int added = 1 + random.nextInt(4);
            for (int k = 0; k < added; k++) {
              recent.add(0, pageview(n++, random));
            }
          }
          case 2 -> { // shrinking: pageviews leave the window
            int gone = Math.min(recent.size(), random.nextInt(6));
            for (int k = 0; k < gone; k++) {
              recent.remove(recent.size() - 1);
            }
          }
          case 3 -> java.util.Collections.shuffle(recent, random); // reordered
          case 4 -> recent.clear();
          default -> { } // only the breakdowns and figures change
        }
        while (recent.size() > 50) {
          recent.remove(recent.size() - 1);
        }
        Buffer after = json(AT + step * 1000L, recent, random, random.nextInt(10) == 0);
        diffApplied(before, after);
        before = after;
      }
    }
  }

  @Test
  void aNewPageviewIsAnAddAtTheFrontOfRecentAndARemoveAtItsEnd() {
    Random random = new Random(7);
    List<Snapshot.RecentPageview> recent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      recent.add(0, pageview(i, random));
    }
    long seed = random.nextLong();
    Buffer before = json(AT, recent, new Random(seed), false);
    recent.add(0, pageview(50, random));
    recent.remove(50);
    // the same breakdowns: only the time and recent move
    Buffer after = json(AT + 1000, recent, new Random(seed), false);
    JsonNode patch = diffApplied(before, after);
    List<String> recentOps = new ArrayList<>();
    for (JsonNode op : patch) {
      if (op.path("path").asText().startsWith("/recent")) {
        recentOps.add(op.path("op").asText() + " " + op.path("path").asText());
      }
    }
    assertEquals(List.of("add /recent/0", "remove /recent/50"), recentOps, patch.toString());
    int bytes = JsonPatchDiff.encode(patch).length();
    assertTrue(bytes < 600, "a few hundred bytes, not the document's " + after.length() + ": "
        + bytes + " " + patch);
  }

  @Test
  void unchangedDocumentsGiveAnEmptyPatch() {
    Buffer doc = json(AT, List.of(), new Random(3), false);
    assertEquals(0, diffApplied(doc, doc).size());
  }

  @Test
  void nullsAndKindChangesAreSaidExactly() {
    // what Merge Patch cannot say (a member becoming null) is a replace here
    diffApplied(Buffer.buffer("{\"a\":1,\"b\":[1,{\"c\":2}],\"d\":{\"e\":1}}"),
        Buffer.buffer("{\"a\":null,\"b\":{\"c\":[null]},\"d\":[],\"x~/y\":true}"));
  }
}
