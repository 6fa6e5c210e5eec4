package pulse.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * Keeps the embedded store across restarts: reads its file at start, saves it every minute (so
 * a crash loses at most a minute) and once more when the store closes, after the write-behind
 * buffer's last events. Saves run on a worker thread, never the event loop. A save that fails
 * (a full disk, a directory made read-only) is logged each time and tried again a minute later:
 * it never stops a running Pulse.
 */
public final class EmbeddedStoreSaving {
  private static final Logger LOG = Logger.getLogger(EmbeddedStoreSaving.class.getName());
  public static final long PERIOD_MILLIS = 60_000;

  private final Vertx vertx;
  private final MemoryEventStore store;
  private final EmbeddedStoreFile file;
  private final DataDirLock lock;
  /** The save running or last run (never failed: a failure is logged). */
  private Future<Void> inFlight = Future.succeededFuture();
  private final long timer;

  private EmbeddedStoreSaving(Vertx vertx, MemoryEventStore store, EmbeddedStoreFile file,
      DataDirLock lock, long periodMillis) {
    this.vertx = vertx;
    this.store = store;
    this.file = file;
    this.lock = lock;
    this.timer = vertx.setPeriodic(periodMillis, t -> save());
    store.beforeClose(this::stop);
  }

  /**
   * Loads what was saved in the directory into the (new, empty) store and starts saving.
   *
   * @throws IllegalStateException when another Pulse holds the directory ({@link DataDirLock})
   */
  public static EmbeddedStoreSaving start(Vertx vertx, MemoryEventStore store, Path dir,
      Clock clock) {
    return start(vertx, store, dir, clock, PERIOD_MILLIS);
  }

  /** As {@link #start(Vertx, MemoryEventStore, Path, Clock)}, saving at another period (tests). */
  static EmbeddedStoreSaving start(Vertx vertx, MemoryEventStore store, Path dir, Clock clock,
      long periodMillis) {
    EmbeddedStoreFile file = new EmbeddedStoreFile(dir, clock);
    checkWritable(dir);
    DataDirLock lock = DataDirLock.take(dir);
    file.loadInto(store);
    return new EmbeddedStoreSaving(vertx, store, file, lock, periodMillis);
  }

  /** Says at start, not a minute later, when saves cannot work; Pulse runs on regardless. */
  private static void checkWritable(Path dir) {
    try {
      Files.createDirectories(dir);
      if (Files.isWritable(dir)) {
        return;
      }
    } catch (IOException | RuntimeException e) {
      // said below
    }
    LOG.warning("embedded store: the data directory " + dir.toAbsolutePath() + " cannot be"
        + " written; day figures and history will be lost on restart. Set PULSE_DATA_DIR"
        + " (\"dataDir\") to a writable directory, or to \"\" to save nothing");
  }

  /** One save on a worker thread; while the previous one still runs, that one stands. */
  synchronized Future<Void> save() {
    if (inFlight.isComplete()) {
      inFlight = write("Pulse tries again in a minute");
    }
    return inFlight;
  }

  /** The last save, when the store closes, after any running one: never fails the shutdown. */
  private synchronized Future<Void> stop() {
    vertx.cancelTimer(timer);
    inFlight = inFlight.transform(previous -> write("what came since is lost"))
        .onComplete(done -> lock.release());
    return inFlight;
  }

  private Future<Void> write(String then) {
    return vertx.<Void>executeBlocking(() -> {
      file.save(store);
      return null;
    }, false).recover(err -> {
      LOG.warning("embedded store: could not save to " + file.path() + " ("
          + err.getClass().getSimpleName() + ": " + err.getMessage() + "); the last good save"
          + " stays, " + then);
      return Future.succeededFuture();
    });
  }
}
