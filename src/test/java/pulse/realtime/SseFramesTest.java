package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact text of every frame a stream sends, and that data cannot forge frames or fields. */
class SseFramesTest {
  /** 2026-11-23T14:00:00.250Z */
  private static final long AT = 1_795_442_400_250L;

  private static Snapshot snapshot(long activeVisitors) {
    return new Snapshot("demo", 300, AT, activeVisitors, 1, 4, List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), List.of(), new Snapshot.Today(3, 9),
        List.of(), List.of());
  }

  /** A reader of the stream, as the SSE standard parses it: one message per blank line. */
  private record Message(String id, String event, String data) {}

  private static List<Message> parse(String stream) {
    List<Message> messages = new ArrayList<>();
    String id = null;
    String event = null;
    StringBuilder data = null;
    for (String line : stream.split("\r\n|\r|\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          messages.add(new Message(id, event, data.toString()));
        }
        event = null;
        data = null;
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" -> data = data == null ? new StringBuilder(value)
            : data.append('\n').append(value);
        default -> { }
      }
    }
    return messages;
  }

  @Test
  void aSnapshotFrameCarriesItsTimeAsIdAndTheJsonAsData() {
    Buffer json = Buffer.buffer("{\"site\":\"demo\",\"activeVisitors\":2}");
    assertEquals("id: " + AT + "\nevent: snapshot\ndata: {\"site\":\"demo\",\"activeVisitors\":2}\n\n",
        SseFrames.snapshot(snapshot(2), json, false).toString());
  }

  @Test
  void theCounterViewSendsOnlyActiveAndPresentVisitorsAndTheTimestamp() {
    Buffer json = Buffer.buffer("{\"site\":\"demo\",\"activeVisitors\":7}");
    assertEquals("id: " + AT + "\nevent: snapshot\n"
            + "data: {\"activeVisitors\":7,\"present\":0,"
            + "\"timestamp\":\"2026-11-23T14:00:00.250Z\"}\n\n",
        SseFrames.snapshot(snapshot(7), json, true).toString());
  }

  @Test
  void aStaleFrameIsTheLastGoodFiguresMarkedStaleWithTheSendingTimeAsId() {
    Buffer json = Buffer.buffer("{\"site\":\"demo\",\"activeVisitors\":2}");
    assertEquals("id: 5000\nevent: snapshot\ndata: {\"stale\":true,\"site\":\"demo\","
            + "\"activeVisitors\":2}\n\n",
        SseFrames.stale(snapshot(2), json, false, 5000).toString());
    assertEquals("id: 5000\nevent: snapshot\ndata: {\"stale\":true,\"activeVisitors\":2,"
            + "\"present\":0,\"timestamp\":\"2026-11-23T14:00:00.250Z\"}\n\n",
        SseFrames.stale(snapshot(2), json, true, 5000).toString());
  }

  @Test
  void theFixedFramesAreRetryKeepAliveAndClose() {
    assertEquals("retry: 3000\n\n", SseFrames.RETRY.toString());
    assertEquals(": keep-alive\n\n", SseFrames.KEEP_ALIVE.toString());
    assertEquals("event: close\ndata: {\"reason\":\"shutdown\"}\n\n",
        SseFrames.close("shutdown").toString());
    assertEquals(List.of(new Message(null, "close", "{\"reason\":\"shutdown\"}")),
        parse(SseFrames.RETRY.toString() + SseFrames.KEEP_ALIVE + SseFrames.close("shutdown")));
  }

  @Test
  void aLineBreakInDataBecomesAnotherDataLineAndCannotStartAFrameOrField() {
    // every kind of SSE line end, each followed by what would be a forged field or frame
    String hostile = "a\n\nid: 666\nevent: close\rdata: x\r\n\r\nevent: close\n";
    String frame = SseFrames.message(42, "snapshot", Buffer.buffer(hostile)).toString();
    assertEquals("id: 42\nevent: snapshot\ndata: a\ndata: \ndata: id: 666\ndata: event: close\n"
        + "data: data: x\ndata: \ndata: event: close\ndata: \n\n", frame);
    List<Message> read = parse(frame);
    assertEquals(1, read.size(), "one message, whatever the data holds");
    assertEquals(new Message("42", "snapshot",
        "a\n\nid: 666\nevent: close\ndata: x\n\nevent: close\n"), read.get(0));
  }

  @Test
  void jsonDataReadsBackAsTheSameJsonEvenWhenPrettyPrinted() {
    JsonObject value = new JsonObject().put("title", "two\nlines").put("n", 1);
    for (String text : List.of(value.encode(), value.encodePrettily())) {
      Message read = parse(SseFrames.message(1, "snapshot", Buffer.buffer(text)).toString()).get(0);
      assertEquals(value, new JsonObject(read.data()));
    }
  }

  @Test
  void anEventNameMustBeOneLine() {
    assertThrows(IllegalArgumentException.class,
        () -> SseFrames.message(1, "snapshot\ndata: x", Buffer.buffer("{}")));
    assertThrows(IllegalArgumentException.class,
        () -> SseFrames.message(1, "snapshot\r", Buffer.buffer("{}")));
  }
}
