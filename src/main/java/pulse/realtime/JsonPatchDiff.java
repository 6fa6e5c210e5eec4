package pulse.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.DiffFlags;
import com.flipkart.zjsonpatch.JsonDiff;
import com.flipkart.zjsonpatch.JsonPatch;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.EnumSet;

/**
 * JSON Patch (RFC 6902) between two snapshot documents, for {@code delta=json-patch} streams:
 * {@link #diff} gives the operations that turn one document into the next (zjsonpatch's
 * differ), {@link #apply} applies them (the tests; the dashboard does the same in JavaScript).
 *
 * <p>Arrays are compared item by item (a longest common subsequence), so the newest pageviews
 * moving along by one are an {@code add} at index 0 and a {@code remove} at the end, not the
 * 50 pageviews again. Only {@code add}, {@code remove} and {@code replace} are emitted: no
 * {@code move} or {@code copy} (which the differ would otherwise use for an item that moved or
 * repeats), so a client needs to apply just those three; a {@code remove} carries no value.
 */
public final class JsonPatchDiff {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final EnumSet<DiffFlags> FLAGS = EnumSet.of(DiffFlags.OMIT_VALUE_ON_REMOVE,
      DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION);

  private JsonPatchDiff() {
  }

  /** The document in a frame's data, or null when it is not JSON. */
  public static JsonNode parse(Buffer json) {
    try {
      return MAPPER.readTree(json.getBytes());
    } catch (IOException e) {
      return null;
    }
  }

  /** The operations that turn {@code from} into {@code to}: an array, empty when nothing changed. */
  public static JsonNode diff(JsonNode from, JsonNode to) {
    return JsonDiff.asJson(from, to, FLAGS);
  }

  /** The patch's JSON text. */
  public static Buffer encode(JsonNode patch) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(patch));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always encodes", e);
    }
  }

  /** RFC 6902 applied: a new document; neither argument is changed. */
  public static JsonNode apply(JsonNode patch, JsonNode document) {
    return JsonPatch.apply(patch, document);
  }
}
