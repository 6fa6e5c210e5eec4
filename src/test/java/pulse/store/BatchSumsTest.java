package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A batch's counters are summed per hash and field, members kept once, TTLs set once per key. */
class BatchSumsTest {
  @Test
  void countersAreSummedPerHashAndField() {
    BatchSums sums = new BatchSums();
    sums.count("ps:1", "/a", 1, 60);
    sums.count("ps:1", "/b", 1, 60);
    sums.count("ps:1", "/a", 1, 60);
    sums.count("ps:2", "/a", 1, 60);
    sums.count("ps:2", "/a", -1, 60);
    assertEquals(Map.of("ps:1", Map.of("/a", 2L, "/b", 1L), "ps:2", Map.of("/a", 0L)),
        sums.counts());
    List<String> args = new ArrayList<>();
    sums.addCountArgs(args);
    // a counter summed to nothing is not sent, nor a hash left without one
    assertEquals(List.of("ps:1", "2", "/a", "2", "/b", "1"), args);
  }

  @Test
  void membersAreKeptOncePerKeyInTheirFirstOrder() {
    BatchSums sums = new BatchSums();
    sums.unique("uv:d", "v2", 90);
    sums.unique("uv:d", "v1", 90);
    sums.unique("uv:d", "v2", 90);
    sums.setMember("vm:1", "v1", 60);
    sums.setMember("vm:2", "v1", 60);
    List<String> args = new ArrayList<>();
    BatchSums.addMemberArgs(sums.uniques(), args);
    assertEquals(List.of("uv:d", "2", "v2", "v1"), args);
    assertEquals(Map.of("vm:1", Set.of("v1"), "vm:2", Set.of("v1")), sums.sets());
  }

  @Test
  void eachKeyGetsItsTtlOnce() {
    BatchSums sums = new BatchSums();
    sums.count("day:d", "pageviews", 1, 90);
    sums.count("day:d", "pv:00", 1, 90);
    sums.expire("uvh:d00", 30);
    sums.unique("uvh:d00", "v", 30);
    List<String> args = new ArrayList<>();
    sums.addExpiryArgs(args);
    assertEquals(List.of("day:d", "90", "uvh:d00", "30"), args);
  }
}
