package pulse.realtime;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a stream sends after its first whole snapshot ({@code ?delta=}): whole snapshots
 * ({@link #NONE}), or {@code event: patch} messages in one of two formats. Both are computed once
 * per group and frame, and only while a stream of the group wants them.
 */
public enum DeltaFormat {
  /** Whole snapshots only (also what a stream without the parameter gets). */
  NONE("none"),
  /**
   * JSON Merge Patch (RFC 7386): an object of the changed members; arrays go whole, so the
   * newest pageviews ({@code recent}) are sent whole whenever one is added.
   */
  MERGE_PATCH("merge-patch"),
  /**
   * JSON Patch (RFC 6902): an array of {@code add}, {@code remove} and {@code replace}
   * operations; an array's items are added and removed one by one, so a new pageview is one
   * {@code add} at the front of {@code recent} and one {@code remove} at its end.
   */
  JSON_PATCH("json-patch");

  private final String parameter;

  DeltaFormat(String parameter) {
    this.parameter = parameter;
  }

  /** The value of {@code ?delta=} that asks for this format. */
  public String parameter() {
    return parameter;
  }

  /** The format a {@code ?delta=} value names ({@code null}: none given), or null if unknown. */
  public static DeltaFormat fromParameter(String value) {
    if (value == null) {
      return NONE;
    }
    for (DeltaFormat format : values()) {
      if (format.parameter.equals(value)) {
        return format;
      }
    }
    return null;
  }

  /** The values {@code ?delta=} takes, for an error: "merge-patch, json-patch or none". */
  public static String allowed() {
    String patches = Arrays.stream(values()).filter(f -> f != NONE).map(DeltaFormat::parameter)
        .collect(Collectors.joining(", "));
    return patches + " or " + NONE.parameter;
  }
}
