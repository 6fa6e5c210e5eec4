package pulse.ingest;

/** A refused request: why, and the message saying what is wrong. */
public final class IngestException extends Exception {
  private final Refusal reason;

  public IngestException(Refusal reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Refusal reason() {
    return reason;
  }

  /** The outcome a route answers for this refusal. */
  public IngestOutcome.Refused outcome() {
    return new IngestOutcome.Refused(reason, getMessage(), 0, 1);
  }
}
