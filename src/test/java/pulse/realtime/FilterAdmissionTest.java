package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cap on distinct filters a site may have read within a minute. */
class FilterAdmissionTest {
  private static SnapshotFilter path(int i) {
    return SnapshotFilter.parse(List.of("path:/" + i));
  }

  @Test
  void aNewFilterPastTheCapWaitsUntilTheOldestGoesAMinuteUnread() {
    FilterAdmission admission = new FilterAdmission(3);
    assertEquals(0, admission.admit(path(1), 0));
    assertEquals(0, admission.admit(path(2), 10_000));
    assertEquals(0, admission.admit(path(3), 20_000));
    assertEquals(35, admission.admit(path(4), 25_000), "path 1, read at 0 s, frees at 60 s");
    assertEquals(0, admission.admit(path(2), 30_000), "a filter read before is still admitted");
    assertEquals(0, admission.admit(path(1), 40_000));
    // oldest now path 3 (read at 20 s): free at 80 s
    assertEquals(40, admission.admit(path(4), 40_500), "39.5 s rounded up: a retry then succeeds");
    assertEquals(3, admission.size());
    assertEquals(0, admission.admit(path(4), 80_000));
    assertEquals(3, admission.size());
    assertEquals(1, admission.admit(path(5), 89_999), "path 2 frees at 90 s");
    assertEquals(0, admission.admit(path(5), 90_000));
  }

  @Test
  void aTouchKeepsAnAdmittedFilterButAddsNoneWhenFull() {
    FilterAdmission admission = new FilterAdmission(2);
    admission.admit(path(1), 0);
    admission.admit(path(2), 0);
    admission.touch(path(3), 1000);
    assertEquals(2, admission.size());
    admission.touch(path(1), 59_000);
    assertEquals(1, admission.admit(path(3), 59_500), "path 2 frees at 60 s");
    admission.expire(60_000);
    assertEquals(1, admission.size(), "path 1 was read at 59 s");
    assertEquals(0, admission.admit(path(3), 60_000));
  }
}
