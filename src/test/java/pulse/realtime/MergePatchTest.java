package pulse.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The delta streams' JSON Merge Patch (RFC 7386): what changed, and only that. */
class MergePatchTest {
  private static JsonObject json(String text) {
    return new JsonObject(text);
  }

  /** The diff, and that applying it to the first document gives the second. */
  private static JsonObject diffApplied(String from, String to) {
    JsonObject patch = MergePatch.diff(json(from), json(to));
    assertEquals(json(to), MergePatch.apply(json(from), patch), "patch " + patch);
    return patch;
  }

  @Test
  void unchangedDocumentsGiveAnEmptyPatch() {
    assertTrue(diffApplied("{\"a\":1,\"b\":{\"c\":[1,2]}}", "{\"a\":1,\"b\":{\"c\":[1,2]}}")
        .isEmpty());
  }

  @Test
  void changedAndNewMembersAreSentAndUnchangedOnesLeftOut() {
    assertEquals(json("{\"a\":2,\"d\":\"new\"}"),
        diffApplied("{\"a\":1,\"b\":\"same\"}", "{\"a\":2,\"b\":\"same\",\"d\":\"new\"}"));
  }

  @Test
  void aRemovedMemberIsSentAsNull() {
    JsonObject patch = diffApplied("{\"a\":1,\"stale\":true}", "{\"a\":1}");
    assertTrue(patch.containsKey("stale"));
    assertNull(patch.getValue("stale"));
    assertEquals(1, patch.size());
  }

  @Test
  void nestedObjectsArePatchedMemberByMember() {
    assertEquals(json("{\"today\":{\"pageviews\":8,\"gone\":null,\"deep\":{\"x\":2}}}"),
        diffApplied("{\"today\":{\"visitors\":3,\"pageviews\":7,\"gone\":1,\"deep\":{\"x\":1,\"y\":1}}}",
            "{\"today\":{\"visitors\":3,\"pageviews\":8,\"deep\":{\"x\":2,\"y\":1}}}"));
  }

  @Test
  void arraysAreReplacedWhole() {
    assertEquals(json("{\"recent\":[{\"path\":\"/b\"},{\"path\":\"/a\"}]}"),
        diffApplied("{\"recent\":[{\"path\":\"/a\"}],\"n\":1}",
            "{\"recent\":[{\"path\":\"/b\"},{\"path\":\"/a\"}],\"n\":1}"));
    // an array's items may hold nulls: the array is taken as it is
    diffApplied("{\"a\":[1]}", "{\"a\":[null,{\"b\":null}]}");
  }

  @Test
  void aValueThatChangesKindIsSentWhole() {
    assertEquals(json("{\"a\":[1],\"b\":{\"c\":1}}"),
        diffApplied("{\"a\":{\"x\":1},\"b\":5}", "{\"a\":[1],\"b\":{\"c\":1}}"));
  }

  @Test
  void numbersEqualInValueAreUnchanged() {
    assertTrue(MergePatch.diff(new JsonObject().put("a", 1), new JsonObject().put("a", 1L))
        .isEmpty());
  }

  @Test
  void aMemberSetToNullCannotBeSaidAndTheCallerSendsTheWholeDocument() {
    assertNull(MergePatch.diff(json("{\"baseline\":{\"ratio\":1.5}}"), json("{\"baseline\":null}")));
    assertNull(MergePatch.diff(json("{}"), json("{\"baseline\":null}")));
    assertNull(MergePatch.diff(json("{\"a\":1}"), json("{\"a\":{\"b\":null}}")));
    assertNull(MergePatch.diff(json("{\"a\":{\"b\":1}}"), json("{\"a\":{\"b\":null}}")));
    // a null that stays null is no change
    assertTrue(MergePatch.diff(json("{\"a\":null,\"b\":1}"), json("{\"a\":null,\"b\":1}")).isEmpty());
  }

  @Test
  void applyFollowsTheRfcExamples() {
    // RFC 7386, section 3
    JsonObject target = json("{\"title\":\"Goodbye!\",\"author\":{\"givenName\":\"John\","
        + "\"familyName\":\"Doe\"},\"tags\":[\"example\",\"sample\"],\"content\":\"This will be unchanged\"}");
    JsonObject patch = json("{\"title\":\"Hello!\",\"phoneNumber\":\"+01-123-456-7890\","
        + "\"author\":{\"familyName\":null},\"tags\":[\"example\"]}");
    assertEquals(json("{\"title\":\"Hello!\",\"author\":{\"givenName\":\"John\"},"
        + "\"tags\":[\"example\"],\"content\":\"This will be unchanged\","
        + "\"phoneNumber\":\"+01-123-456-7890\"}"), MergePatch.apply(target, patch));
    assertEquals(json("{\"title\":\"Goodbye!\",\"author\":{\"givenName\":\"John\","
        + "\"familyName\":\"Doe\"},\"tags\":[\"example\",\"sample\"],\"content\":\"This will be unchanged\"}"),
        target, "the target is not changed");
  }
}
