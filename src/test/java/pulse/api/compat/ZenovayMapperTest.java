package pulse.api.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import pulse.realtime.DayFiguresService;
import pulse.realtime.Snapshot;

/** Zenovay's four shapes from a hand-built snapshot: every key, its order and its rounding. */
class ZenovayMapperTest {
  static final long NOW = Instant.parse("2026-11-24T10:30:15.250Z").toEpochMilli();

  static Snapshot snapshot() {
    return new Snapshot("shop", 300, NOW, 7, 6, 12,
        List.of(new Snapshot.PageStat("/", 4, 6), new Snapshot.PageStat("/pricing", 3, 5),
            new Snapshot.PageStat("/gone", 0, 1)),
        List.of(), List.of(new Snapshot.CountryStat("DE", 5), new Snapshot.CountryStat("XX", 2)),
        List.of(), List.of(), List.of(), List.of(), List.of(), new Snapshot.Today(30, 45),
        List.of(), List.of());
  }

  @Test
  void liveIsTheActiveVisitorsToTheSecond() {
    assertEquals("{\"liveCount\":7,\"timestamp\":\"2026-11-24T10:30:15Z\"}",
        ZenovayMapper.live(snapshot()).encode());
  }

  @Test
  void realtimeComparesTodayWithYesterdaySoFarAndNamesCountries() {
    assertEquals("{\"visitors\":{\"current\":7,\"today\":30,\"change\":50.0},"
        + "\"pageViews\":{\"current\":12,\"today\":45,\"change\":-33.3},"
        + "\"countries\":[{\"code\":\"DE\",\"name\":\"Germany\",\"count\":5},"
        + "{\"code\":\"XX\",\"name\":\"XX\",\"count\":2}],"
        + "\"topPages\":[{\"path\":\"/\",\"visitors\":4},{\"path\":\"/pricing\",\"visitors\":3}],"
        + "\"timestamp\":\"2026-11-24T10:30:15Z\"}",
        ZenovayMapper.realtime(snapshot(), new DayFiguresService.SoFar(20, 67.5)).encode());
    // nothing yesterday to compare with: no change rather than infinity
    assertEquals(0.0, ZenovayMapper.realtime(snapshot(), new DayFiguresService.SoFar(0, 0))
        .getJsonObject("visitors").getDouble("change"));
  }

  @Test
  void statsGiveRatesOfTodaysSessions() {
    // 8 sessions: 2 bounces, 20 minutes in all, 3 new and 1 returning known
    DayFiguresService.Day today = new DayFiguresService.Day(30, 45, 8, 2, 1_200_000, 3, 1);
    assertEquals("{\"visitors\":{\"live\":7,\"today\":30,\"week\":120,\"month\":400},"
        + "\"bounceRate\":0.25,\"avgSessionDuration\":150,\"pagesPerSession\":5.6,"
        + "\"newVisitorRate\":0.75,\"returningVisitorRate\":0.25,"
        + "\"timestamp\":\"2026-11-24T10:30:15Z\"}",
        ZenovayMapper.stats(snapshot(), today, 120, 400).encode());
    // no sessions yet today: zeros, not a division by zero
    assertEquals("{\"visitors\":{\"live\":7,\"today\":0,\"week\":0,\"month\":0},"
        + "\"bounceRate\":0.0,\"avgSessionDuration\":0,\"pagesPerSession\":0.0,"
        + "\"newVisitorRate\":0.0,\"returningVisitorRate\":0.0,"
        + "\"timestamp\":\"2026-11-24T10:30:15Z\"}",
        ZenovayMapper.stats(snapshot(), new DayFiguresService.Day(0, 0, 0, 0, 0, 0, 0), 0, 0)
            .encode());
  }

  @Test
  void statusSaysWhetherTheSiteHadAnEventInTheLastDay() {
    long last = Instant.parse("2026-11-24T09:00:00.900Z").toEpochMilli();
    assertEquals("{\"active\":true,\"tracking_code\":null,\"domain\":\"shop.example.com\","
        + "\"last_event\":\"2026-11-24T09:00:00Z\"}",
        ZenovayMapper.status("shop.example.com", new DayFiguresService.LastEvent(last, true))
            .encode());
    assertEquals("{\"active\":false,\"tracking_code\":null,\"domain\":\"shop.example.com\","
        + "\"last_event\":null}",
        ZenovayMapper.status("shop.example.com", new DayFiguresService.LastEvent(null, false))
            .encode());
  }
}
