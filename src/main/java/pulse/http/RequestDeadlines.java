package pulse.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Closes a connection whose next request has not fully arrived (headers and body) within the
 * deadline, counted from when the connection opened or its previous answer ended. Idle timeouts
 * cannot do this: a client that sends a byte every few seconds is never idle. While a request is
 * answered (a stream may take hours) no deadline runs.
 */
public final class RequestDeadlines {
  private static final Logger LOG = Logger.getLogger(RequestDeadlines.class.getName());

  /** One connection's deadline: the timer, and the request it waits for (null: the next one). */
  private static final class Deadline {
    long timer = -1;
    HttpServerRequest request;
  }

  private final Vertx vertx;
  private final long millis;
  private final Map<HttpConnection, Deadline> deadlines = new ConcurrentHashMap<>();

  public RequestDeadlines(Vertx vertx, long millis) {
    this.vertx = vertx;
    this.millis = millis;
  }

  /** A new connection: its first request must arrive in time. */
  public void opened(HttpConnection connection) {
    Deadline deadline = new Deadline();
    deadlines.put(connection, deadline);
    start(connection, deadline);
  }

  public void closed(HttpConnection connection) {
    Deadline deadline = deadlines.remove(connection);
    if (deadline != null) {
      vertx.cancelTimer(deadline.timer);
    }
  }

  /**
   * The first route of every request (its headers are in): the deadline stops once its body is,
   * and starts again for the next request when its answer ends.
   */
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    Deadline deadline = deadlines.get(connection);
    if (deadline != null) {
      deadline.request = request;
      request.end().onComplete(r -> {
        if (deadline.request == request) {
          vertx.cancelTimer(deadline.timer);
        }
      });
      ctx.addEndHandler(r -> {
        deadline.request = null;
        if (deadlines.get(connection) == deadline) {
          start(connection, deadline);
        }
      });
    }
    ctx.next();
  }

  private void start(HttpConnection connection, Deadline deadline) {
    vertx.cancelTimer(deadline.timer);
    deadline.timer = vertx.setTimer(millis, t -> {
      LOG.fine(() -> "closing a connection from " + connection.remoteAddress()
          + ": no whole request within " + millis + " ms");
      connection.close();
    });
  }
}
