package pulse.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pulse.testing.RawConnection;
import pulse.testing.TestPulse;

/** A client that hangs up mid-request is routine: logged at FINE, never a warning with a trace. */
@Tag("server")
class AbortedRequestTest {
  private static final List<String> PATHS = List.of("/api/collect", "/api/event", "/api/send");

  @Test
  void aRequestAbortedMidBodyIsLoggedAtFineWithoutAStackTrace() throws Exception {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() { }

      @Override
      public void close() { }
    };
    Logger pulseLog = Logger.getLogger("pulse");
    Level before = pulseLog.getLevel();
    pulseLog.setLevel(Level.FINE);
    pulseLog.addHandler(capture);
    try (TestPulse pulse = TestPulse.start(null, Clock.systemUTC(), c -> { })) {
      for (String path : PATHS) {
        try (RawConnection c = RawConnection.open(pulse.pulse().port())) {
          c.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"site\":");
        }
      }
      // the server learns of each hang-up a moment later; wait (10 s at most) for all three
      for (int i = 0; i < 200 && aborted(records) < PATHS.size(); i++) {
        Thread.sleep(50);
      }
      assertEquals(PATHS.size(), aborted(records), "one FINE record per hang-up: " + text(records));
      assertTrue(records.stream().noneMatch(r -> r.getLevel().intValue() > Level.INFO.intValue()
          || r.getThrown() != null), text(records));
    } finally {
      pulseLog.removeHandler(capture);
      pulseLog.setLevel(before);
    }
  }

  private static long aborted(List<LogRecord> records) {
    return records.stream().filter(r -> r.getLevel() == Level.FINE
        && String.valueOf(r.getMessage()).startsWith("client closed the connection")).count();
  }

  private static String text(List<LogRecord> records) {
    return records.stream().map(r -> r.getLevel() + " " + r.getLoggerName() + ": "
        + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown())).toList().toString();
  }
}
