package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pulse.realtime.StreamAdmission.Decision.INSTANCE_FULL;
import static pulse.realtime.StreamAdmission.Decision.IP_FULL;
import static pulse.realtime.StreamAdmission.Decision.OK;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The caps on open streams: per instance (503), per client address (429), and their release. */
class StreamAdmissionTest {
  @Test
  void anAddressGetsItsCapThenIsRefusedWhileOthersAreStillAdmitted() {
    StreamAdmission admission = new StreamAdmission(10, 2);
    assertEquals(OK, admission.admit("a"));
    assertEquals(OK, admission.admit("a"));
    assertEquals(IP_FULL, admission.admit("a"));
    assertEquals(OK, admission.admit("b"));
    assertEquals(3, admission.open(), "a refused stream holds no slot");
  }

  @Test
  void theInstanceCapRefusesEveryAddressOnceReached() {
    StreamAdmission admission = new StreamAdmission(2, 5);
    assertEquals(OK, admission.admit("a"));
    assertEquals(OK, admission.admit("b"));
    assertEquals(INSTANCE_FULL, admission.admit("c"));
    assertEquals(INSTANCE_FULL, admission.admit("a"));
    assertEquals(2, admission.open());
    assertEquals(2, admission.addresses(), "a refused address is not counted");
  }

  @Test
  void aClosedStreamFreesItsSlotForItsAddressAndTheInstance() {
    StreamAdmission admission = new StreamAdmission(3, 1);
    assertEquals(OK, admission.admit("a"));
    assertEquals(OK, admission.admit("b"));
    assertEquals(IP_FULL, admission.admit("a"));
    admission.release("a");
    assertEquals(1, admission.open());
    assertEquals(1, admission.addresses(), "an address with no stream is forgotten");
    assertEquals(OK, admission.admit("a"));
    admission.release("a");
    admission.release("b");
    assertEquals(0, admission.open());
    assertEquals(0, admission.addresses());
  }

  @Test
  void afterCloseEveryRequestIsRefusedAsFull() {
    StreamAdmission admission = new StreamAdmission(10, 10);
    assertEquals(OK, admission.admit("a"));
    admission.close();
    assertEquals(INSTANCE_FULL, admission.admit("b"));
    assertEquals(1, admission.open(), "a refusal at shutdown does not count a stream off");
  }

  @Test
  void admissionsAndReleasesFromManyThreadsKeepTheCountsExact() throws Exception {
    StreamAdmission admission = new StreamAdmission(1_000_000, 3);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        work.add(pool.submit(() -> {
          for (int i = 0; i < 20_000; i++) {
            String address = "addr" + (i % 3);
            if (admission.admit(address) == OK) {
              admission.release(address);
            }
          }
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(0, admission.open());
    assertEquals(0, admission.addresses());
    for (int i = 0; i < 3; i++) {
      assertEquals(OK, admission.admit("addr0"), "the cap is whole again after the churn");
    }
    assertEquals(IP_FULL, admission.admit("addr0"));
  }
}
