package pulse.realtime;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.logging.Logger;
import pulse.store.RedisEventStore;

/**
 * Keeps the streams moving: owns the stream hub's context and timer, and listens for change notes
 * that other instances publish on Redis, so a stream here learns of an event stored anywhere.
 */
public final class RealtimeVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(RealtimeVerticle.class.getName());

  private final StreamHub hub;
  private final String redisUrl;
  private Redis subscriber;
  private boolean stopping;

  /** @param redisUrl null with the embedded store: then change notes are local only */
  public RealtimeVerticle(StreamHub hub, String redisUrl) {
    this.hub = hub;
    this.redisUrl = redisUrl;
  }

  @Override
  public Future<?> start() {
    hub.bind(context);
    if (redisUrl == null) {
      return Future.succeededFuture();
    }
    // pub/sub needs a plain connection; in a cluster PUBLISH reaches every node, so one will do
    subscriber = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(redisUrl.split(",")[0].trim()));
    Promise<Void> subscribed = Promise.promise();
    subscribe(subscribed);
    // start once subscribed, so no change note is missed; a store that is down must not block
    // start-up: the subscription keeps retrying and the fallback read covers the gap
    long guard = vertx.setTimer(3000, t -> subscribed.tryComplete());
    return subscribed.future().onComplete(v -> vertx.cancelTimer(guard));
  }

  private void subscribe(Promise<Void> subscribed) {
    if (stopping) {
      return;
    }
    subscriber.connect()
        .compose(connection -> {
          connection.handler(this::onMessage);
          connection.exceptionHandler(err -> connection.close());
          connection.endHandler(v -> vertx.setTimer(500, t -> subscribe(Promise.promise())));
          return connection.send(Request.cmd(Command.SUBSCRIBE)
                  .arg(RedisEventStore.CHANGES_CHANNEL))
              .onFailure(err -> connection.close());
        })
        .onSuccess(v -> subscribed.tryComplete())
        .onFailure(err -> {
          LOG.fine(() -> "change-note subscription failed, retrying: " + err.getMessage());
          vertx.setTimer(1000, t -> subscribe(subscribed));
        });
  }

  private void onMessage(Response message) {
    // ["message", channel, siteId] (a RESP3 push or a RESP2 array)
    if (message != null && message.size() == 3 && "message".equals(message.get(0).toString())) {
      hub.changed(message.get(2).toString());
    }
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    hub.closeAll();
    if (subscriber != null) {
      subscriber.close();
    }
    return Future.succeededFuture();
  }
}
