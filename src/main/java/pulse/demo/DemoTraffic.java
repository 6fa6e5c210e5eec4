package pulse.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.logging.Logger;
import pulse.store.Event;
import pulse.store.EventStore;

/**
 * Synthetic visitors for the {@code demo} site ({@code --demo} or {@code PULSE_DEMO=true}), so a
 * newcomer's dashboard moves at once. Visitors arrive from realistic referrers and countries,
 * read a few pages, send heartbeats like the tracker does, sometimes sign up, and leave; how many
 * are around drifts up and down over a few minutes. Events go straight into the store (the same
 * records the ingest pipeline writes) and the live streams are told, as ingest tells them.
 *
 * <p>Writes to the {@code demo} site only, never to another.
 */
public final class DemoTraffic {
  public static final String SITE = "demo";
  private static final Logger LOG = Logger.getLogger(DemoTraffic.class.getName());
  static final long TICK_MILLIS = 1_000;
  private static final long HEARTBEAT_MILLIS = 30_000;
  /** On start, this much past traffic is written at once, so the chart is not empty. */
  static final long BACKFILL_MILLIS = 10 * 60_000;
  private static final char[] ID_CHARS =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private record Page(String path, String title) {}

  private record Agent(String browser, String os, String device) {}

  private static final Page HOME = new Page("/", "Pulse — realtime analytics you can self-host");
  private static final Page PRICING = new Page("/pricing", "Pricing");
  private static final Page SIGNUP = new Page("/signup", "Create your account");
  private static final Page BLOG_REDIS =
      new Page("/blog/realtime-analytics-with-redis", "Realtime analytics with Redis sorted sets");
  private static final Page BLOG_COOKIES =
      new Page("/blog/counting-visitors-without-cookies", "Counting visitors without cookies");
  private static final Page DOCS_START = new Page("/docs/getting-started", "Getting started · Docs");
  private static final Page DOCS_API = new Page("/docs/api", "API reference · Docs");

  private static final Weighted<Page> PAGES = new Weighted<Page>()
      .add(HOME, 20).add(PRICING, 14).add(new Page("/features", "Features"), 10)
      .add(DOCS_START, 10).add(DOCS_API, 7).add(BLOG_REDIS, 7).add(BLOG_COOKIES, 5)
      .add(new Page("/changelog", "Changelog"), 4).add(new Page("/about", "About us"), 3)
      .add(SIGNUP, 4);

  private static final Weighted<String> REFERRERS = new Weighted<String>()
      .add("", 34).add("google.com", 22).add("news.ycombinator.com", 12).add("github.com", 10)
      .add("reddit.com", 6).add("x.com", 5).add("duckduckgo.com", 4).add("linkedin.com", 3)
      .add("bing.com", 3);

  private static final Weighted<String> COUNTRIES = new Weighted<String>()
      .add("US", 24).add("DE", 11).add("GB", 9).add("IN", 8).add("FR", 6).add("CA", 5)
      .add("BR", 5).add("NL", 4).add("JP", 4).add("SE", 3).add("PL", 3).add("AU", 3)
      .add("ES", 3).add("IT", 3).add("CH", 2).add("KR", 2);

  private static final Weighted<Agent> AGENTS = new Weighted<Agent>()
      .add(new Agent("Chrome", "Windows", "desktop"), 26)
      .add(new Agent("Chrome", "Mac OS X", "desktop"), 14)
      .add(new Agent("Mobile Safari", "iOS", "mobile"), 16)
      .add(new Agent("Chrome Mobile", "Android", "mobile"), 14)
      .add(new Agent("Safari", "Mac OS X", "desktop"), 9)
      .add(new Agent("Edge", "Windows", "desktop"), 7)
      .add(new Agent("Firefox", "Linux", "desktop"), 5)
      .add(new Agent("Firefox", "Windows", "desktop"), 4)
      .add(new Agent("Mobile Safari", "iOS", "tablet"), 3)
      .add(new Agent("Samsung Internet", "Android", "mobile"), 2);

  /** One synthetic visitor: who they are, where they are, and when they act next or leave. */
  private static final class Visitor {
    final String id;
    final String country;
    final Agent agent;
    final boolean returning;
    Page page;
    long lastEvent;
    long nextPage;
    long leaves;
    /** When the current page opened, for its engaged time. */
    long pageSince;
    String utmSource = "";
    String utmMedium = "";
    String utmCampaign = "";

    Visitor(String id, String country, Agent agent, boolean returning) {
      this.id = id;
      this.country = country;
      this.agent = agent;
      this.returning = returning;
    }
  }

  private final Vertx vertx;
  private final EventStore store;
  private final Consumer<String> changed;
  private final Clock clock;
  private final Random random;
  private final List<Visitor> visitors = new ArrayList<>();
  private long timerId = -1;
  private long lastStep;

  /**
   * @param changed told the site id after each write, as ingest tells the live streams
   * @param seed the random seed (tests pass a fixed one)
   */
  public DemoTraffic(Vertx vertx, EventStore store, Consumer<String> changed, Clock clock,
      long seed) {
    this.vertx = vertx;
    this.store = store;
    this.changed = changed;
    this.clock = clock;
    this.random = new Random(seed);
  }

  /** Writes the last minutes of traffic, then adds to it every second. */
  public Future<Void> start() {
    long now = clock.millis();
    List<Event> past = new ArrayList<>();
    for (long t = now - BACKFILL_MILLIS; t < now; t += TICK_MILLIS) {
      past.addAll(step(t));
    }
    lastStep = now - TICK_MILLIS;
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < past.size(); i += 200) {
      writes.add(store.append(SITE, past.subList(i, Math.min(past.size(), i + 200))));
    }
    return Future.all(writes)
        .compose(done -> DemoHistory.seed(store, SITE, now, activeOf(past, now), random))
        .<Void>mapEmpty().onComplete(ar -> {
      if (ar.failed()) {
        LOG.warning("demo traffic: cannot write: " + ar.cause().getMessage());
      }
      changed.accept(SITE);
      LOG.info("demo traffic: synthetic visitors are feeding site '" + SITE + "' ("
          + visitors.size() + " online now)");
      timerId = vertx.setPeriodic(TICK_MILLIS, id -> tick());
    });
  }

  /** Visitors of the last five minutes of the backfill: today's count the past is drawn around. */
  private static long activeOf(List<Event> past, long now) {
    return past.stream().filter(e -> e.time() >= now - 300_000L).map(Event::visitorId)
        .distinct().count();
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void tick() {
    long now = clock.millis();
    if (now <= lastStep) {
      return;
    }
    lastStep = now;
    List<Event> events = step(now);
    if (!events.isEmpty()) {
      store.append(SITE, events)
          .onSuccess(v -> changed.accept(SITE))
          .onFailure(err -> LOG.fine(() -> "demo traffic: write failed: " + err.getMessage()));
    }
  }

  /** How many visitors the demo wants around at this time: a slow wave between about 8 and 40. */
  static double targetVisitors(long now) {
    double minutes = now / 60_000.0;
    return 24 + 11 * Math.sin(2 * Math.PI * minutes / 9) + 5 * Math.sin(2 * Math.PI * minutes / 2.3);
  }

  /** One second of the demo site: departures, arrivals, page changes and heartbeats. */
  List<Event> step(long now) {
    List<Event> events = new ArrayList<>();
    for (Iterator<Visitor> it = visitors.iterator(); it.hasNext(); ) {
      Visitor v = it.next();
      if (now >= v.leaves) {
        it.remove();
        // most close the tab (a leave); some just go quiet, as trackers of other products do
        if (random.nextInt(4) != 0) {
          events.add(engaged(event(Event.LEAVE, now, v, "", "", ""), v, now));
        }
      } else if (now >= v.nextPage) {
        v.page = nextPage(v.page);
        v.pageSince = now;
        v.nextPage = now + between(15_000, 90_000);
        v.lastEvent = now;
        events.add(event(Event.PAGEVIEW, now, v, "", "", ""));
        if (v.page == SIGNUP && random.nextInt(3) == 0) {
          events.add(event(Event.CUSTOM, now, v, "", "signup",
              "{\"plan\":\"" + (random.nextInt(4) == 0 ? "team" : "pro") + "\"}"));
        }
      } else if (now - v.lastEvent >= HEARTBEAT_MILLIS) {
        v.lastEvent = now;
        events.add(engaged(event(Event.HEARTBEAT, now, v, "", "", ""), v, now));
      }
    }
    // now and then a crawler, a monitor or a script, dropped as a bot and counted by class
    if (random.nextInt(8) == 0) {
      events.add(Event.bot(newId(), now, Event.BOT_CLASSES.get(random.nextInt(5))));
    }
    // arrivals keep the population near the target: mean stay ~3 min, so rate = target / 180 s
    double rate = Math.max(0.5, targetVisitors(now)) / 180.0 * (TICK_MILLIS / 1000.0);
    double pull = visitors.size() < targetVisitors(now) ? 1.4 : 0.6;
    for (int i = poisson(rate * pull); i > 0; i--) {
      Visitor v = new Visitor(newId(), COUNTRIES.pick(random), AGENTS.pick(random),
          random.nextInt(10) < 3);
      String referrer = REFERRERS.pick(random);
      v.page = landing(referrer);
      v.pageSince = now;
      if (referrer.isEmpty() && random.nextInt(3) == 0) {
        v.utmSource = "newsletter";
        v.utmMedium = "email";
        v.utmCampaign = "december-launch";
      } else if (referrer.equals("x.com") || referrer.equals("linkedin.com")) {
        v.utmSource = referrer.equals("x.com") ? "x" : "linkedin";
        v.utmMedium = "social";
        v.utmCampaign = "december-launch";
      }
      v.lastEvent = now;
      v.nextPage = now + between(10_000, 80_000);
      v.leaves = now + between(25_000, 360_000);
      visitors.add(v);
      events.add(event(Event.PAGEVIEW, now, v, referrer, "", ""));
    }
    return events;
  }

  int online() {
    return visitors.size();
  }

  /** Where a visitor from this referrer lands: readers of news sites land on a blog post. */
  private Page landing(String referrer) {
    return switch (referrer) {
      case "news.ycombinator.com", "reddit.com", "x.com", "linkedin.com" ->
          random.nextBoolean() ? BLOG_REDIS : BLOG_COOKIES;
      case "github.com" -> random.nextBoolean() ? DOCS_START : HOME;
      case "google.com", "bing.com", "duckduckgo.com" ->
          random.nextInt(3) == 0 ? DOCS_API : PAGES.pick(random);
      default -> random.nextInt(2) == 0 ? HOME : PAGES.pick(random);
    };
  }

  private Page nextPage(Page from) {
    if (from == PRICING && random.nextInt(3) == 0) {
      return SIGNUP;
    }
    if ((from == HOME || from == BLOG_REDIS || from == BLOG_COOKIES) && random.nextInt(3) == 0) {
      return PRICING;
    }
    Page next = PAGES.pick(random);
    return next == from ? HOME : next;
  }

  private Event event(String type, long time, Visitor v, String referrer, String name,
      String props) {
    return new Event(newId(), type, time, v.id, v.page.path(), "", v.page.title(), referrer, name,
        props, v.country, v.agent.browser(), v.agent.os(), v.agent.device(), v.returning,
        Event.NO_ENGAGED, v.utmSource, v.utmMedium, v.utmCampaign);
  }

  /** The event with the visitor's engaged time on the page: most of the time it was open. */
  private Event engaged(Event e, Visitor v, long now) {
    long engagedMillis = (long) ((now - v.pageSince) * (0.4 + 0.5 * random.nextDouble()));
    return new Event(e.id(), e.type(), e.time(), e.visitorId(), e.path(), e.query(), e.title(),
        e.referrer(), e.name(), e.props(), e.country(), e.browser(), e.os(), e.device(),
        e.returning(), engagedMillis, e.utmSource(), e.utmMedium(), e.utmCampaign());
  }

  private long between(long min, long max) {
    return min + (long) (random.nextDouble() * (max - min));
  }

  private int poisson(double mean) {
    double limit = Math.exp(-mean);
    double p = random.nextDouble();
    int k = 0;
    while (p > limit) {
      k++;
      p *= random.nextDouble();
    }
    return k;
  }

  private String newId() {
    char[] id = new char[16];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
    }
    return new String(id);
  }

  /** Values picked with fixed weights. */
  private static final class Weighted<T> {
    private final List<T> values = new ArrayList<>();
    private final List<Integer> cumulative = new ArrayList<>();
    private int total;

    Weighted<T> add(T value, int weight) {
      total += weight;
      values.add(value);
      cumulative.add(total);
      return this;
    }

    T pick(Random random) {
      int r = random.nextInt(total);
      for (int i = 0; i < values.size(); i++) {
        if (r < cumulative.get(i)) {
          return values.get(i);
        }
      }
      return values.get(values.size() - 1);
    }
  }
}
