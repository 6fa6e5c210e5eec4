package pulse.store;

/**
 * One custom event of a window as the stores keep it: who sent which event, with its properties
 * as compact JSON ("" when none). A snapshot counts them per name and property value.
 */
public record WindowEvent(String visitorId, String name, String path, String props, long time) {
  /** From a member of the events set: id, visitor, name, path, props, tab-separated. */
  static WindowEvent of(String member, long time) {
    String[] f = member.split("\t", -1);
    return new WindowEvent(f[1], f[2], f.length > 3 ? f[3] : "", f.length > 4 ? f[4] : "", time);
  }
}
