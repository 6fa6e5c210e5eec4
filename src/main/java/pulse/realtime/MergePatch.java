package pulse.realtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;

/**
 * JSON Merge Patch (RFC 7386) between two JSON objects, for the delta streams: {@link #diff}
 * gives the patch that turns one snapshot into the next, {@link #apply} applies one (the
 * dashboard does the same in JavaScript). A member that changed is sent whole, except an object
 * that was an object before, whose members are compared in turn; arrays are always sent whole
 * (Merge Patch cannot address their items); a member that is gone is sent as {@code null}.
 *
 * <p>Merge Patch cannot set a member to {@code null} ({@code null} means "remove"), so a change
 * that would have to is not expressible: {@link #diff} then answers {@code null} and the caller
 * sends the whole document instead.
 */
public final class MergePatch {
  private MergePatch() {
  }

  /**
   * The patch that turns {@code from} into {@code to}, or {@code null} when Merge Patch cannot
   * express it (a member set to {@code null} where it was not, or an object sent whole that holds
   * a {@code null} member). An empty object when nothing changed.
   */
  public static JsonObject diff(JsonObject from, JsonObject to) {
    JsonObject patch = new JsonObject();
    for (Map.Entry<String, Object> member : to) {
      String name = member.getKey();
      Object after = member.getValue();
      if (!from.containsKey(name)) {
        if (!expressible(after)) {
          return null;
        }
        patch.put(name, after);
        continue;
      }
      Object before = from.getValue(name);
      if (same(before, after)) {
        continue;
      }
      if (before instanceof JsonObject b && after instanceof JsonObject a) {
        JsonObject inner = diff(b, a);
        if (inner == null) {
          return null;
        }
        if (!inner.isEmpty()) {
          patch.put(name, inner);
        }
      } else if (!expressible(after)) {
        return null;
      } else {
        patch.put(name, after);
      }
    }
    for (String name : from.fieldNames()) {
      if (!to.containsKey(name)) {
        patch.putNull(name);
      }
    }
    return patch;
  }

  /** Equal JSON values; numbers by value, whatever Java type the decoder chose for them. */
  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      boolean whole = !(x instanceof Double || x instanceof Float || y instanceof Double
          || y instanceof Float);
      return whole ? x.longValue() == y.longValue() : x.doubleValue() == y.doubleValue();
    }
    return Objects.equals(a, b);
  }

  /**
   * A value a patch can carry so that applying it gives the value back: not {@code null}, and
   * no object in it (outside arrays, which are taken as they are) with a {@code null} member.
   */
  private static boolean expressible(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> member : object) {
        if (!expressible(member.getValue())) {
          return false;
        }
      }
    }
    return true;
  }

  /** RFC 7386's MergePatch(target, patch): a new value; neither argument is changed. */
  public static Object apply(Object target, Object patch) {
    if (!(patch instanceof JsonObject p)) {
      return copy(patch);
    }
    JsonObject result = target instanceof JsonObject t ? t.copy() : new JsonObject();
    for (Map.Entry<String, Object> member : p) {
      if (member.getValue() == null) {
        result.remove(member.getKey());
      } else {
        result.put(member.getKey(), apply(result.getValue(member.getKey()), member.getValue()));
      }
    }
    return result;
  }

  private static Object copy(Object value) {
    if (value instanceof JsonObject o) {
      return o.copy();
    }
    if (value instanceof JsonArray a) {
      return a.copy();
    }
    return value;
  }
}
