package pulse.ingest;

/** A refused request: the status to answer and the message saying what is wrong. */
public final class IngestException extends Exception {
  private final int status;

  public IngestException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
