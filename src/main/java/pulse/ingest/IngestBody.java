package pulse.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads an ingest request body: JSON with tight limits, one event or an array of them. */
public final class IngestBody {
  /** Jackson with tight limits: a hostile body cannot nest deep or hold one giant string. */
  private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(16)
          .maxStringLength(64 * 1024)
          .maxNumberLength(40)
          .build())
      .build())
      // "[]]" or an event followed by anything else is a broken body, not the part before it
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private IngestBody() {}

  /** The body's events: one object, or a non-empty array of at most {@code maxEvents}. */
  public static List<IncomingEvent> events(Buffer body, EventParser parser, int maxEvents)
      throws IngestException {
    JsonNode root = json(body);
    List<IncomingEvent> events = new ArrayList<>();
    if (root.isArray()) {
      if (root.isEmpty()) {
        throw invalid("events array is empty");
      }
      if (root.size() > maxEvents) {
        throw invalid("events array holds " + root.size() + " events; at most " + maxEvents
            + " per request");
      }
      for (int i = 0; i < root.size(); i++) {
        events.add(parser.parse(root.get(i), "events[" + i + "]."));
      }
    } else {
      events.add(parser.parse(root, ""));
    }
    return events;
  }

  /** Reads a request body as JSON with tight limits; refusals say what is wrong. */
  public static JsonNode json(Buffer body) throws IngestException {
    if (body == null || body.length() == 0) {
      throw invalid("body is empty: send a JSON event object or an array of them");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body.getBytes());
    } catch (StreamConstraintsException e) {
      throw invalid("body nests too deep or holds a value that is too long");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ")";
      throw invalid("body is not valid JSON" + where);
    } catch (IOException e) {
      throw invalid("body is not valid UTF-8 JSON");
    }
    if (root == null || root.isMissingNode()) {
      throw invalid("body is empty: send a JSON event object or an array of them");
    }
    return root;
  }

  private static IngestException invalid(String message) {
    return new IngestException(Refusal.INVALID, message);
  }
}
