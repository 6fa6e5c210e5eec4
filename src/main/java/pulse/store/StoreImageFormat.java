package pulse.store;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The embedded store's file format: 8 bytes {@code PULSEMEM}, a version (int), then the
 * {@link StoreImage} as gzip-compressed big-endian fields (DataOutputStream), ending in
 * {@link #END}. Gzip both shrinks it (a history day of {@link HistorySlots#DAY_BYTES} bytes and a
 * dense visitor counter of 16 KiB are mostly small numbers and zeros) and checks it: its CRC-32 and length trailer
 * turn a truncated or damaged file into an error at read, never into wrong figures.
 *
 * <p>Version 1, after the header, in order:
 * <pre>
 * long savedAt
 * int salts      { str day, str value, long createdMillis }
 * int states     { str key (site TAB name), str json }
 * int sites      { str site, bool hasLast [long lastEvent],
 *                  int days  { str day, long expiresAt, int fields { str name, long value }, hll },
 *                  int hours { str hour, long expiresAt, hll },
 *                  int historyDays { long epochDay, int length, bytes } }
 * int END
 * str: int length, UTF-8 bytes; hll: byte 0 none | 1 sparse (int n, n longs) | 2 dense (16,384 bytes)
 * </pre>
 * A change of layout raises {@link #VERSION}; a file of a newer version is refused, not guessed at.
 * A history day carries its length: a day laid out otherwise than {@link HistorySlots} now lays
 * one out is read over and left out ({@link MemoryHistory#restore}), not misread.
 */
final class StoreImageFormat {
  static final byte[] MAGIC = "PULSEMEM".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  /** "END!": the last field, so a file cut at a field boundary is not taken as whole. */
  static final int END = 0x454E4421;
  /** The most a text or a history day may say it holds (a damaged length must not cost a GiB). */
  private static final int MAX_STRING_BYTES = 1 << 24;

  /** A file this Pulse cannot read: damaged, cut short, not ours, or of a newer version. */
  static final class Unreadable extends IOException {
    Unreadable(String message) {
      super(message);
    }
  }

  private StoreImageFormat() {}

  static void write(StoreImageSource image, OutputStream raw) throws IOException {
    raw.write(MAGIC);
    new DataOutputStream(raw).writeInt(VERSION);
    GZIPOutputStream gzip = new GZIPOutputStream(raw, 1 << 16);
    DataOutputStream out = new DataOutputStream(gzip);
    out.writeLong(image.savedAt());
    out.writeInt(image.salts().size());
    for (StoreImage.Salt salt : image.salts()) {
      writeString(out, salt.day());
      writeString(out, salt.value());
      out.writeLong(salt.createdMillis());
    }
    out.writeInt(image.states().size());
    for (Map.Entry<String, String> state : image.states().entrySet()) {
      writeString(out, state.getKey());
      writeString(out, state.getValue());
    }
    Collection<String> siteIds = image.siteIds();
    out.writeInt(siteIds.size());
    for (String siteId : siteIds) {
      writeString(out, siteId);
      writeSite(out, image.site(siteId));
    }
    out.writeInt(END);
    out.flush();
    gzip.finish();
  }

  private static void writeSite(DataOutputStream out, StoreImage.Site site) throws IOException {
    StoreImage.Figures figures = site.figures();
    out.writeBoolean(figures.lastEvent() != null);
    if (figures.lastEvent() != null) {
      out.writeLong(figures.lastEvent());
    }
    out.writeInt(figures.days().size());
    for (StoreImage.Day day : figures.days()) {
      writeString(out, day.day());
      out.writeLong(day.expiresAt());
      out.writeInt(day.fields().size());
      for (Map.Entry<String, Long> field : day.fields().entrySet()) {
        writeString(out, field.getKey());
        out.writeLong(field.getValue());
      }
      writeCounter(out, day.visitors());
    }
    out.writeInt(figures.hours().size());
    for (StoreImage.Hour hour : figures.hours()) {
      writeString(out, hour.hour());
      out.writeLong(hour.expiresAt());
      writeCounter(out, hour.visitors());
    }
    out.writeInt(site.history().size());
    for (Map.Entry<Long, byte[]> day : site.history().entrySet()) {
      out.writeLong(day.getKey());
      out.writeInt(day.getValue().length);
      out.write(day.getValue());
    }
  }

  private static void writeCounter(DataOutputStream out, HyperLogLog.Image counter)
      throws IOException {
    if (counter == null) {
      out.writeByte(0);
    } else if (counter.registers() == null) {
      out.writeByte(1);
      out.writeInt(counter.hashes().length);
      for (long h : counter.hashes()) {
        out.writeLong(h);
      }
    } else {
      out.writeByte(2);
      out.write(counter.registers());
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** Reads a whole file's image; {@link Unreadable} (or another IOException) when it cannot. */
  static StoreImage read(InputStream raw) throws IOException {
    byte[] magic = raw.readNBytes(MAGIC.length);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new Unreadable("not a Pulse embedded-store file");
    }
    int version = new DataInputStream(raw).readInt();
    if (version > VERSION) {
      throw new Unreadable("version " + version + " is newer than this Pulse reads ("
          + VERSION + ")");
    }
    if (version < 1) {
      throw new Unreadable("version " + version + " is not a version");
    }
    DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    try {
      StoreImage image = readBody(in);
      // reading on to the end checks gzip's CRC and length of everything read
      if (in.read() != -1) {
        throw new Unreadable("data after its end");
      }
      return image;
    } catch (EOFException e) {
      throw new Unreadable("cut short");
    } catch (IllegalArgumentException e) {
      throw new Unreadable(e.getMessage());
    }
  }

  private static StoreImage readBody(DataInputStream in) throws IOException {
    long savedAt = in.readLong();
    List<StoreImage.Salt> salts = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      salts.add(new StoreImage.Salt(readString(in), readString(in), in.readLong()));
    }
    Map<String, String> states = new LinkedHashMap<>();
    for (int i = count(in); i > 0; i--) {
      states.put(readString(in), readString(in));
    }
    Map<String, StoreImage.Site> sites = new TreeMap<>();
    for (int i = count(in); i > 0; i--) {
      sites.put(readString(in), readSite(in));
    }
    if (in.readInt() != END) {
      throw new Unreadable("no end mark where it belongs");
    }
    return new StoreImage(savedAt, salts, states, sites);
  }

  private static StoreImage.Site readSite(DataInputStream in) throws IOException {
    Long lastEvent = in.readBoolean() ? in.readLong() : null;
    List<StoreImage.Day> days = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      String day = readString(in);
      long expiresAt = in.readLong();
      Map<String, Long> fields = new TreeMap<>();
      for (int f = count(in); f > 0; f--) {
        fields.put(readString(in), in.readLong());
      }
      days.add(new StoreImage.Day(day, expiresAt, fields, readCounter(in)));
    }
    List<StoreImage.Hour> hours = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      String hour = readString(in);
      long expiresAt = in.readLong();
      HyperLogLog.Image visitors = readCounter(in);
      if (visitors == null) {
        throw new Unreadable("an hour without its visitors");
      }
      hours.add(new StoreImage.Hour(hour, expiresAt, visitors));
    }
    Map<Long, byte[]> history = new TreeMap<>();
    for (int i = count(in); i > 0; i--) {
      long epochDay = in.readLong();
      int length = in.readInt();
      if (length < 0 || length > MAX_STRING_BYTES) {
        throw new Unreadable("a history day of " + length + " bytes");
      }
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      history.put(epochDay, bytes);
    }
    return new StoreImage.Site(new StoreImage.Figures(lastEvent, days, hours), history);
  }

  private static HyperLogLog.Image readCounter(DataInputStream in) throws IOException {
    int kind = in.readByte();
    switch (kind) {
      case 0:
        return null;
      case 1: {
        int n = in.readInt();
        if (n < 0 || n > HyperLogLog.SPARSE_MAX) {
          throw new Unreadable("a counter of " + n + " hashes");
        }
        long[] hashes = new long[n];
        for (int i = 0; i < n; i++) {
          hashes[i] = in.readLong();
        }
        return new HyperLogLog.Image(hashes, null);
      }
      case 2: {
        byte[] registers = new byte[HyperLogLog.M];
        in.readFully(registers);
        return new HyperLogLog.Image(null, registers);
      }
      default:
        throw new Unreadable("a counter of kind " + kind);
    }
  }

  /** A count of entries: they are read one by one, so a wrong one runs into the end, not OOM. */
  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new Unreadable("a count of " + n);
    }
    return n;
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > MAX_STRING_BYTES) {
      throw new Unreadable("a text of " + length + " bytes");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
