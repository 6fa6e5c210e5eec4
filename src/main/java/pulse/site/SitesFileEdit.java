package pulse.site;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import pulse.config.ConfigException;

/**
 * Adds a token entry to a sites file as a person would: the new entry goes last in the "tokens"
 * array (made if missing), indented like its neighbours, and every other byte of the file stays
 * as it was. The file is replaced atomically (a temporary file beside it, then a rename), so the
 * server never reads half a file.
 */
public final class SitesFileEdit {
  private static final JsonFactory FACTORY = new JsonFactory();

  private SitesFileEdit() {}

  /** The sites file's text with the entry (a JSON object on one line) added to "tokens". */
  public static String withToken(String text, String entry) {
    String nl = text.contains("\r\n") ? "\r\n" : "\n";
    Offsets at = offsets(text);
    if (at.tokensKey < 0) {
      // no "tokens" yet: one after the last top-level field, indented like that field
      String indent = indentOf(text, at.lastKey, "  ");
      int end = lastNonSpaceBefore(text, at.rootEnd) + 1;
      return text.substring(0, end) + "," + nl + indent + "\"tokens\": [" + nl + indent + indent
          + entry + nl + indent + "]" + text.substring(end);
    }
    if (at.arrayStart < 0) {
      throw new ConfigException("\"tokens\" in the sites file is not an array; fix it first");
    }
    if (at.lastElement < 0) {
      String indent = indentOf(text, at.tokensKey, "  ");
      return text.substring(0, at.arrayStart) + "[" + nl + indent + indent + entry + nl + indent
          + "]" + text.substring(at.arrayEnd + 1);
    }
    int end = lastNonSpaceBefore(text, at.arrayEnd) + 1;
    String indent = indentOf(text, at.lastElement, null);
    String separator = indent == null ? ", " : "," + nl + indent;
    return text.substring(0, end) + separator + entry + text.substring(end);
  }

  /** Replaces the file with this text: written beside it, synced, then renamed over it. */
  public static void replace(Path file, String text) throws IOException {
    Path real = file.toRealPath();
    Path temp = Files.createTempFile(real.getParent(), "." + real.getFileName() + ".", ".tmp");
    try {
      keepOwnerAndMode(real, temp);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(temp, real, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * The temporary file is made private to whoever runs the command; the server may be another
   * user that must keep reading the file, so the new one gets the old one's mode and, where
   * allowed, its owner and group.
   */
  private static void keepOwnerAndMode(Path from, Path to) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
    if (view == null) {
      return;
    }
    PosixFileAttributes old = Files.readAttributes(from, PosixFileAttributes.class);
    view.setPermissions(old.permissions());
    try {
      view.setGroup(old.group());
      view.setOwner(old.owner());
    } catch (IOException notAllowed) {
      // only root may give a file away; whoever may not is most likely its owner already
    }
  }

  /** Where the parts that an insertion needs are, as character offsets; -1 when absent. */
  private record Offsets(int rootEnd, int lastKey, int tokensKey, int arrayStart,
      int lastElement, int arrayEnd) {}

  private static Offsets offsets(String text) {
    int rootEnd = -1;
    int lastKey = -1;
    int tokensKey = -1;
    int arrayStart = -1;
    int lastElement = -1;
    int arrayEnd = -1;
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new ConfigException("the sites file does not hold a JSON object");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        lastKey = offset(parser);
        JsonToken value = parser.nextToken();
        if (name.equals("tokens")) {
          tokensKey = lastKey;
          arrayStart = -1;
          lastElement = -1;
          if (value == JsonToken.START_ARRAY) {
            arrayStart = offset(parser);
            while (parser.nextToken() != JsonToken.END_ARRAY) {
              lastElement = offset(parser);
              parser.skipChildren();
            }
            arrayEnd = offset(parser);
            continue;
          }
        }
        parser.skipChildren();
      }
      if (token != JsonToken.END_OBJECT) {
        throw new ConfigException("the sites file is not one JSON object");
      }
      rootEnd = offset(parser);
    } catch (IOException e) {
      throw new ConfigException("the sites file is not valid JSON: " + e.getMessage(), e);
    }
    return new Offsets(rootEnd, lastKey, tokensKey, arrayStart, lastElement, arrayEnd);
  }

  private static int offset(JsonParser parser) {
    return (int) parser.currentTokenLocation().getCharOffset();
  }

  /** The whitespace before this offset on its line if nothing else is, else the fallback. */
  private static String indentOf(String text, int offset, String fallback) {
    int start = offset;
    while (start > 0 && (text.charAt(start - 1) == ' ' || text.charAt(start - 1) == '\t')) {
      start--;
    }
    if (start > 0 && text.charAt(start - 1) != '\n') {
      return fallback;
    }
    return text.substring(start, offset);
  }

  private static int lastNonSpaceBefore(String text, int offset) {
    int i = offset - 1;
    while (i >= 0 && Character.isWhitespace(text.charAt(i))) {
      i--;
    }
    return i;
  }
}
