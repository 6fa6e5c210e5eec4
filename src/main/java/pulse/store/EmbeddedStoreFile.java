package pulse.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Logger;

/**
 * The embedded store's file in the data directory ({@value #NAME}): written whole and atomically
 * (a temporary file in the same directory, synced, then renamed over the old one), so a crash
 * mid-save leaves the previous save; read once at start. A file Pulse cannot read is moved
 * aside ({@code .corrupt-<time>}), never read half, never fatal: Pulse starts empty and says so.
 */
public final class EmbeddedStoreFile {
  private static final Logger LOG = Logger.getLogger(EmbeddedStoreFile.class.getName());
  public static final String NAME = "embedded-store.bin";
  private static final DateTimeFormatter ASIDE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final Path file;
  private final Path temp;
  private final Clock clock;

  public EmbeddedStoreFile(Path dir, Clock clock) {
    this.dir = dir;
    this.file = dir.resolve(NAME);
    // one fixed name: a crash mid-save leaves one stale temporary file, overwritten by the next
    this.temp = dir.resolve(NAME + ".tmp");
    this.clock = clock;
  }

  public Path path() {
    return file;
  }

  /**
   * Puts what the file holds into the store. No file: nothing to put (a first start). A file
   * that cannot be read is moved aside with a warning and the store starts empty.
   *
   * @return how many sites' figures were put back
   */
  public int loadInto(MemoryEventStore store) {
    StoreImage image;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      image = StoreImageFormat.read(in);
    } catch (NoSuchFileException e) {
      LOG.info("embedded store: no saved figures in " + file + " yet; starting empty");
      return 0;
    } catch (IOException | RuntimeException e) {
      moveAside(e);
      return 0;
    }
    store.restore(image);
    LOG.info("embedded store: read the day figures and history of " + image.sites().size()
        + " site(s) from " + file + ", saved " + Instant.ofEpochMilli(image.savedAt()));
    return image.sites().size();
  }

  private void moveAside(Exception why) {
    String reason = why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage();
    Path aside = dir.resolve(NAME + ".corrupt-" + ASIDE_TIME.format(clock.instant()));
    try {
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      LOG.warning("embedded store: cannot read " + file + " (" + reason + "); moved it to "
          + aside + " and started with no saved figures");
    } catch (IOException e) {
      LOG.warning("embedded store: cannot read " + file + " (" + reason + ") nor move it aside ("
          + e.getMessage() + "); started with no saved figures, and the next save replaces it");
    }
  }

  /** Writes the store's image over the file, atomically; the old file stays if this fails. */
  public void save(MemoryEventStore store) throws IOException {
    StoreImageSource image = store.image();
    Files.createDirectories(dir);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      StoreImageFormat.write(image, out);
      out.flush();
      // on disk before the rename: after a crash the file is the old one or the whole new one
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory();
  }

  /** Makes the rename itself durable; not every system can open a directory, so best effort. */
  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | RuntimeException e) {
      // the rename is done; only its durability across a power cut is left to the system
    }
  }
}
