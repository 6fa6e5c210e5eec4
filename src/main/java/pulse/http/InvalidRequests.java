package pulse.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests Vert.x cannot parse (too long a request line, too large headers, malformed): answered
 * before any route, as Vert.x's own handler does, but with the JSON error body of every error.
 */
public final class InvalidRequests {
  private final int maxLineLength;
  private final int maxHeaderBytes;

  public InvalidRequests(int maxLineLength, int maxHeaderBytes) {
    this.maxLineLength = maxLineLength;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "the request line (method, URL, version) is longer than " + maxLineLength
          + " bytes";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "the request headers are larger than " + maxHeaderBytes + " bytes";
    } else {
      status = 400;
      message = "malformed HTTP request";
    }
    // what follows a request that could not be parsed cannot be parsed either
    HttpErrors.sendAndClose(request.response(), request.connection(), status, message);
  }
}
