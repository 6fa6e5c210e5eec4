package pulse.store;

/** Unique visitors and pageviews of the first hours of one UTC day (see EventStore#dayHours). */
public record DayPart(long visitors, long pageviews) {
  public static final DayPart EMPTY = new DayPart(0, 0);
}
