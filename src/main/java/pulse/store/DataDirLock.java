package pulse.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/**
 * The embedded store's claim on its data directory: a lock on {@value #NAME} held while Pulse
 * runs. Two instances saving into one directory would overwrite each other's saves every minute
 * and lose a day's figures without a word, so the second one does not start. The operating
 * system releases the lock when the process ends, however it ends: a crash leaves no stale lock.
 */
final class DataDirLock {
  private static final Logger LOG = Logger.getLogger(DataDirLock.class.getName());
  static final String NAME = "pulse.lock";
  /** Held where no lock could be taken: releasing it does nothing. */
  private static final DataDirLock NONE = new DataDirLock(null, null);

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the directory, or throws {@link IllegalStateException} saying who holds it. A directory
   * where no lock file can be made (read-only) is not taken: saves will fail there and say so.
   */
  static DataDirLock take(Path dir) {
    Path file = dir.resolve(NAME);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warning("embedded store: cannot create the lock file " + file.toAbsolutePath() + " ("
          + e.getMessage() + "); another Pulse on this directory would not be noticed");
      return NONE;
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this process: another Pulse in the same JVM
    } catch (IOException e) {
      close(channel);
      LOG.warning("embedded store: cannot lock " + file.toAbsolutePath() + " (" + e.getMessage()
          + "); another Pulse on this directory would not be noticed");
      return NONE;
    }
    if (lock == null) {
      close(channel);
      throw new IllegalStateException("the data directory " + dir.toAbsolutePath()
          + " is in use by another Pulse (it holds " + NAME + "); give each instance its own"
          + " PULSE_DATA_DIR (\"dataDir\"), or run them all on one Redis (PULSE_REDIS_URL)");
    }
    return new DataDirLock(channel, lock);
  }

  /** Lets the directory go (after the last save). */
  void release() {
    if (lock == null) {
      return;
    }
    try {
      lock.release();
    } catch (IOException e) {
      // the channel's close below releases it too
    }
    close(channel);
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing held any more
    }
  }
}
