package pulse.alerts;

/**
 * How the webhook of a transition went, as the alerts API shows it.
 *
 * @param id the transition's idempotency key
 * @param state firing or resolved
 * @param result {@code delivered} (a 2xx answer), {@code retrying} (a network error, a timeout,
 *     a 5xx or 429; tried again later), {@code refused} (another 4xx: not tried again) or
 *     {@code failed} (still failing an hour after the first attempt)
 * @param attempts attempts made
 * @param status the HTTP status of the last answer, 0 without one
 * @param error what went wrong in the last attempt, or null
 * @param at when the last attempt ended (ms)
 * @param firstAt when the first attempt began (ms): retries end an hour after it
 * @param nextAt when the next attempt is due (ms), 0 when none is
 */
public record Delivery(String id, String state, String result, int attempts, int status,
    String error, long at, long firstAt, long nextAt) {
  static final String RETRYING = "retrying";
}
