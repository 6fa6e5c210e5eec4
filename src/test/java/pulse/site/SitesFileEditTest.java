package pulse.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.config.ConfigException;

/** A token entry goes last in "tokens", indented like its neighbours; nothing else moves. */
class SitesFileEditTest {
  private static final String ENTRY = "{\"sha256\": \"" + "ab".repeat(32)
      + "\", \"sites\": [\"shop\"], \"scopes\": [\"realtime:read\"]}";
  private static final String SITES = """
      {
        "sites": [
          {"id": "shop", "domains": ["shop.example.com"], "public": false}
        ]""";

  @Test
  void theEntryGoesAfterTheLastTokenOnALineOfItsOwn() {
    String before = SITES + """
        ,
          "tokens": [
            {"sha256": "%s", "sites": ["shop"]}
          ]
        }
        """.formatted("cd".repeat(32));
    String after = SITES + """
        ,
          "tokens": [
            {"sha256": "%s", "sites": ["shop"]},
            %s
          ]
        }
        """.formatted("cd".repeat(32), ENTRY);
    assertEquals(after, SitesFileEdit.withToken(before, ENTRY));
    assertNotNull(Sites.parse(after), "the file still loads");
  }

  @Test
  void anEmptyTokensArrayGetsTheEntryIndentedOneStepDeeperThanItsKey() {
    String before = SITES + ",\n  \"tokens\": []\n}\n";
    assertEquals(SITES + ",\n  \"tokens\": [\n    " + ENTRY + "\n  ]\n}\n",
        SitesFileEdit.withToken(before, ENTRY));
  }

  @Test
  void aFileWithoutTokensGetsATokensArrayAfterItsLastField() {
    String before = SITES + "\n}\n";
    String after = SitesFileEdit.withToken(before, ENTRY);
    assertEquals(SITES + ",\n  \"tokens\": [\n    " + ENTRY + "\n  ]\n}\n", after);
    assertNotNull(Sites.parse(after));
  }

  @Test
  void aOneLineFileStaysOnOneLineAndWindowsLineEndsStayWindowsLineEnds() {
    String oneLine = "{\"sites\": [{\"id\": \"shop\", \"domains\": [\"s.test\"]}], \"tokens\": ["
        + "{\"sha256\": \"" + "cd".repeat(32) + "\", \"sites\": [\"shop\"]}]}";
    assertEquals(oneLine.substring(0, oneLine.length() - 2) + ", " + ENTRY + "]}",
        SitesFileEdit.withToken(oneLine, ENTRY));

    String crlf = "{\r\n  \"sites\": [{\"id\": \"shop\", \"domains\": [\"s.test\"]}]\r\n}\r\n";
    assertEquals("{\r\n  \"sites\": [{\"id\": \"shop\", \"domains\": [\"s.test\"]}],\r\n"
        + "  \"tokens\": [\r\n    " + ENTRY + "\r\n  ]\r\n}\r\n",
        SitesFileEdit.withToken(crlf, ENTRY));
  }

  @Test
  void tokensThatAreNotAnArrayOrAFileThatIsNotJsonAreRefused() {
    assertEquals("\"tokens\" in the sites file is not an array; fix it first",
        assertThrows(ConfigException.class,
            () -> SitesFileEdit.withToken(SITES + ", \"tokens\": {}}", ENTRY)).getMessage());
    assertThrows(ConfigException.class, () -> SitesFileEdit.withToken(SITES, ENTRY));
    assertThrows(ConfigException.class, () -> SitesFileEdit.withToken("[]", ENTRY));
  }

  @Test
  void replacingKeepsTheFileModeAndLeavesNoTemporaryFileBehind(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("sites.json");
    Files.writeString(file, "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    SitesFileEdit.replace(file, "new");
    assertEquals("new", Files.readString(file));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "only the sites file is left");
    }
  }

  @Test
  void aSymlinkedSitesFileStaysALinkAndItsTargetIsReplaced(@TempDir Path dir) throws IOException {
    Path real = Files.createDirectory(dir.resolve("real")).resolve("sites.json");
    Files.writeString(real, "old");
    Path link = Files.createSymbolicLink(dir.resolve("sites.json"), real);
    SitesFileEdit.replace(link, "new");
    assertTrue(Files.isSymbolicLink(link), "still a link");
    assertEquals("new", Files.readString(real));
  }
}
