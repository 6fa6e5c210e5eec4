package pulse.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.config.ConfigException;

/** A sites file with a typo or a clash stops start-up, naming the file and the entries. */
class SitesFileTest {
  private static final String HASH = "a".repeat(64);

  @TempDir Path dir;

  private String refused(String json) throws Exception {
    Path file = dir.resolve("sites.json");
    Files.writeString(file, json);
    return assertThrows(ConfigException.class, () -> Sites.load(file)).getMessage();
  }

  private String file() {
    return dir.resolve("sites.json").toString();
  }

  @Test
  void anUnknownSiteFieldIsRefusedWithItsPathAndASuggestion() throws Exception {
    assertEquals(file() + ": sites[1].publc: unknown field (did you mean \"public\"?)", refused("""
        {"sites": [{"id": "demo", "domains": ["localhost"], "public": true},
                   {"id": "shop", "domains": ["shop.test"], "publc": true}]}"""));
  }

  @Test
  void unknownTokenAndFileFieldsAreRefusedToo() throws Exception {
    assertEquals(file() + ": tokens[0].scope: unknown field (did you mean \"scopes\"?)", refused("""
        {"sites": [{"id": "shop", "domains": ["shop.test"]}],
         "tokens": [{"sha256": "%s", "sites": ["shop"], "scope": ["realtime:read"]}]}"""
        .formatted(HASH)));
    assertEquals(file() + ": token: unknown field (did you mean \"tokens\"?)", refused("""
        {"sites": [{"id": "shop", "domains": ["shop.test"]}], "token": []}"""));
  }

  @Test
  void anUnknownScopeIsRefusedWithTheNearestScope() throws Exception {
    assertEquals(file() + ": tokens[0].scopes: unknown scope \"realtime:raed\" (did you mean"
        + " \"realtime:read\"?); known: realtime:read, analytics:read, collect, alerts:read",
        refused("""
        {"sites": [{"id": "shop", "domains": ["shop.test"]}],
         "tokens": [{"sha256": "%s", "sites": ["shop"], "scopes": ["realtime:raed"]}]}"""
        .formatted(HASH)));
  }

  @Test
  void aDuplicateIdNamesTheFileAndBothEntries() throws Exception {
    assertEquals(file() + ": 'shop' is the id or an alias of both sites[0] ('shop') and sites[2]"
        + " ('shop'); an id or alias names one site", refused("""
        {"sites": [{"id": "shop", "domains": ["shop.test"]},
                   {"id": "blog", "domains": ["blog.test"]},
                   {"id": "shop", "domains": ["shop2.test"]}]}"""));
  }

  @Test
  void anAliasThatIsAnotherSitesIdOrAliasNamesBothEntries() throws Exception {
    assertEquals(file() + ": 'ws_demo' is the id or an alias of both sites[0] ('demo') and"
        + " sites[1] ('shop'); an id or alias names one site", refused("""
        {"sites": [{"id": "demo", "domains": ["localhost"], "aliases": ["ws_demo"]},
                   {"id": "shop", "domains": ["shop.test"], "aliases": ["ws_demo"]}]}"""));
    assertEquals(file() + ": 'demo' is the id or an alias of both sites[0] ('demo') and"
        + " sites[1] ('shop'); an id or alias names one site", refused("""
        {"sites": [{"id": "demo", "domains": ["localhost"]},
                   {"id": "shop", "domains": ["shop.test"], "aliases": ["demo"]}]}"""));
  }
}
