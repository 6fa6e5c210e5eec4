package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pulse.realtime.Snapshot;

/**
 * What both stores must agree on beyond counting visitors: presence (leave, heartbeats), engaged
 * time, entry pages, campaigns, custom events and bots.
 */
abstract class LiveFiguresContract extends EventStoreContract {
  private int liveIds;

  Event live(String type, String visitor, String path, long time, long engaged) {
    return new Event("l" + (liveIds++), type, time, visitor, path, "", "", "", "", "", "DE",
        "Firefox", "Linux", "desktop", null, engaged, "", "", "");
  }

  Event visit(String visitor, String path, long time, String source, String medium,
      String campaign) {
    return new Event("v" + (liveIds++), Event.PAGEVIEW, time, visitor, path, "", "", "", "", "",
        "DE", "Firefox", "Linux", "desktop", null, Event.NO_ENGAGED, source, medium, campaign);
  }

  Event custom(String visitor, String name, String props, long time) {
    return new Event("c" + (liveIds++), Event.CUSTOM, time, visitor, "/", "", "", "", name, props,
        "DE", "Firefox", "Linux", "desktop", null);
  }

  @Test
  void aLeaveTakesTheVisitorOutOfPresentButNotOutOfActive() {
    long t = now();
    append(pageview("stays", "/", t - 10_000), pageview("leaves", "/", t - 10_000));
    assertEquals(2, snapshot(300).present());

    append(live(Event.LEAVE, "leaves", "/", t - 5_000, 4_000));
    Snapshot s = snapshot(300);
    assertEquals(1, s.present());
    assertEquals(2, s.activeVisitors(), "a visitor who left is still active in the window");
    assertEquals(List.of(new Snapshot.PageStat("/", 2, 2, 1, 4)), s.pages());

    // the next page opens: present again
    append(pageview("leaves", "/next", t - 1_000));
    assertEquals(2, snapshot(300).present());
  }

  @Test
  void presenceLastsFortyFiveSecondsAfterThePageLastShowedItself() {
    long t = now();
    append(pageview("quiet", "/", t - 40_000), pageview("reader", "/long", t - 200_000),
        live(Event.HEARTBEAT, "reader", "/long", t - 30_000, 20_000));
    Snapshot s = snapshot(300);
    assertEquals(2, s.present());
    clock.advanceSeconds(10);
    s = snapshot(300);
    assertEquals(1, s.present(), "no heartbeat from the quiet page for 50 s");
    assertEquals(2, s.activeVisitors());
    clock.advanceSeconds(10);
    assertEquals(0, snapshot(300).present());
  }

  @Test
  void anOlderLeaveDoesNotUndoANewerPageAndALeaveOutsideASessionIsNotStored() {
    long t = now();
    append(pageview("a", "/", t - 2_000), live(Event.LEAVE, "a", "/", t - 3_000, 0));
    assertEquals(1, snapshot(300).present(), "the leave was older than the pageview");
    append(live(Event.LEAVE, "stranger", "/", t - 1_000, 9_000));
    Snapshot s = snapshot(300);
    assertEquals(1, s.activeVisitors(), "a leave alone starts no session");
    assertEquals(1, await(store.day(site, WindowQuery.day(t))).sessions());
  }

  @Test
  void engagedTimeIsTheMedianOfItsReadersAndANewPageStartsUnreported() {
    long t = now();
    append(pageview("a", "/post", t - 60_000), pageview("b", "/post", t - 60_000),
        pageview("c", "/post", t - 60_000), pageview("d", "/post", t - 60_000));
    append(live(Event.HEARTBEAT, "a", "/post", t - 20_000, 10_000),
        live(Event.HEARTBEAT, "b", "/post", t - 20_000, 30_500),
        live(Event.HEARTBEAT, "c", "/post", t - 20_000, 50_000),
        live(Event.HEARTBEAT, "a", "/post", t - 10_000, 20_000),
        // another tab's heartbeat says nothing about this page
        live(Event.HEARTBEAT, "d", "/elsewhere", t - 10_000, 99_000));
    Snapshot s = snapshot(300);
    assertEquals(new Snapshot.PageStat("/post", 4, 4, 4, 30), s.pages().get(0),
        "lower median of 20, 30.5 and 50 s; d reported nothing on /post");

    append(pageview("b", "/other", t - 5_000));
    s = snapshot(300);
    Snapshot.PageStat post = s.pages().stream().filter(p -> p.path().equals("/post")).findFirst()
        .orElseThrow();
    assertEquals(20, post.engagedSeconds(), "lower median of 20 and 50 s");
    Snapshot.PageStat other = s.pages().stream().filter(p -> p.path().equals("/other"))
        .findFirst().orElseThrow();
    assertEquals(0, other.engagedSeconds(), "a new page view starts unreported");
  }

  @Test
  void entryPagesAndCampaignsAreOfTheSession() {
    long t = now();
    append(visit("a", "/launch", t - 100_000, "newsletter", "email", "spring"),
        visit("a", "/pricing", t - 90_000, "", "", ""),
        visit("b", "/launch", t - 80_000, "twitter", "social", "spring"),
        visit("c", "/docs", t - 70_000, "", "", ""),
        visit("c", "/pricing", t - 60_000, "newsletter", "email", "autumn"));
    Snapshot s = snapshot(300);
    assertEquals(List.of(new Snapshot.EntryPageStat("/launch", 2),
        new Snapshot.EntryPageStat("/docs", 1)), s.entryPages());
    assertEquals(List.of(new Snapshot.NameStat("newsletter", 2),
        new Snapshot.NameStat("twitter", 1)), s.campaigns().sources());
    assertEquals(List.of(new Snapshot.NameStat("email", 2), new Snapshot.NameStat("social", 1)),
        s.campaigns().mediums());
    assertEquals(List.of(new Snapshot.NameStat("spring", 2), new Snapshot.NameStat("autumn", 1)),
        s.campaigns().campaigns());
  }

  @Test
  void customEventsAreCountedPerNameWithTheirVisitorsAndPropertyValues() {
    long t = now();
    append(custom("a", "signup", "{\"plan\":\"pro\",\"seats\":3}", t - 50_000),
        custom("b", "signup", "{\"plan\":\"pro\"}", t - 40_000),
        custom("b", "signup", "{\"plan\":\"free\",\"trial\":true}", t - 30_000),
        custom("c", "download", "", t - 20_000),
        custom("c", "old", "", t - 400_000));
    Snapshot s = snapshot(300);
    assertEquals(2, s.events().size(), "the event before the window is not counted");
    Snapshot.EventStat signup = s.events().get(0);
    assertEquals("signup", signup.name());
    assertEquals(3, signup.count());
    assertEquals(2, signup.visitors());
    assertEquals(Map.of(
        "plan", List.of(new Snapshot.PropValue("pro", 2), new Snapshot.PropValue("free", 1)),
        "seats", List.of(new Snapshot.PropValue("3", 1)),
        "trial", List.of(new Snapshot.PropValue("true", 1))), signup.props());
    assertEquals(new Snapshot.EventStat("download", 1, 1, Map.of()), s.events().get(1));
    assertEquals(3, s.activeVisitors(), "custom events keep their visitors active");
  }

  @Test
  void botsAreCountedByClassInTheWindowAndAreNoVisitors() {
    long t = now();
    append(Event.bot("b1", t - 20_000, "ai"), Event.bot("b2", t - 19_000, "ai"),
        Event.bot("b3", t - 10_000, "search"), Event.bot("b4", t - 200_000, "script"),
        pageview("human", "/", t - 5_000));
    Snapshot s = snapshot(60);
    assertEquals(Map.of("search", 1L, "ai", 2L, "monitor", 0L, "script", 0L, "other", 0L),
        s.bots());
    assertEquals(List.of("search", "ai", "monitor", "script", "other"),
        List.copyOf(s.bots().keySet()), "every class, in a fixed order");
    assertEquals(1, s.activeVisitors());
    assertEquals(1, s.pageviews());
    assertEquals(List.of(new Snapshot.PageStat("/", 1, 1, 1, 0)), s.pages(),
        "bots are no page");
    assertEquals(1L, snapshot(300).bots().get("script"));
    assertTrue(await(store.day(site, WindowQuery.day(t))).pageviews() == 1,
        "bots add nothing to the day");
  }
}
