package pulse.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A visitor read from its state against the state held before is the visitor read afresh: the
 * fields it keeps from the earlier read are only those that are equal, whatever the state's age
 * (older, shorter states take their defaults) and whatever the earlier read said.
 */
class VisitorStateTest {
  private static final String[] TEXTS = {"", "/", "/a", "/pricing", "x", "DE", "Firefox"};

  @Test
  void readingAgainstTheHeldStateIsReadingAfresh() {
    SplittableRandom random = new SplittableRandom(15);
    for (int n = 0; n < 5_000; n++) {
      String state = state(random);
      ActiveVisitor fresh = Records.visitor("v", 42, state);
      ActiveVisitor was = random.nextInt(5) == 0 ? null
          : Records.visitor("v", 41, state(random));
      assertEquals(fresh, Records.visitor("v", 42, state, was), state);
      // against itself: every text field is the one held
      ActiveVisitor again = Records.visitor("v", 42, state, fresh);
      assertEquals(fresh, again, state);
      assertSame(fresh.referrer(), again.referrer());
      assertSame(fresh.utmCampaign(), again.utmCampaign());
    }
  }

  @Test
  void aStateTooShortToHaveADeviceIsRefusedAsBefore() {
    assertThrows(RuntimeException.class, () -> Records.visitor("v", 1, "1\t2\t20261202\t/"));
  }

  /** A state of 9 to 18 fields (older versions wrote fewer; more is a newer one's). */
  private static String state(SplittableRandom r) {
    int fields = 9 + r.nextInt(10);
    List<String> f = new ArrayList<>();
    for (int k = 0; k < fields; k++) {
      boolean number = k == Records.S_SESSION_START || k == Records.S_SESSION_PAGEVIEWS
          || k == Records.S_LAST_PAGEVIEW || k >= Records.S_LAST_ACTIVE;
      if (number) {
        f.add(k != Records.S_SESSION_START && r.nextInt(6) == 0 ? ""
            : Long.toString(r.nextLong(-1, 2_000_000_000_000L)));
      } else {
        // a new String, so that equal values are not the same object
        f.add(new String(TEXTS[r.nextInt(TEXTS.length)]));
      }
    }
    return String.join("\t", f);
  }
}
