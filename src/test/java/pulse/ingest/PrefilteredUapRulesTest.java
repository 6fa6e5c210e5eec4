package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pulse.ingest.UserAgentsTest.BINGBOT;
import static pulse.ingest.UserAgentsTest.CHROME_ANDROID_PHONE;
import static pulse.ingest.UserAgentsTest.CHROME_ANDROID_TABLET;
import static pulse.ingest.UserAgentsTest.CHROME_WINDOWS;
import static pulse.ingest.UserAgentsTest.CUBOT_PHONE;
import static pulse.ingest.UserAgentsTest.EDGE_WINDOWS;
import static pulse.ingest.UserAgentsTest.FACEBOOK;
import static pulse.ingest.UserAgentsTest.FIREFOX_ANDROID_TABLET;
import static pulse.ingest.UserAgentsTest.FIREFOX_LINUX;
import static pulse.ingest.UserAgentsTest.GOOGLEBOT;
import static pulse.ingest.UserAgentsTest.GOOGLEBOT_SMARTPHONE;
import static pulse.ingest.UserAgentsTest.GPTBOT;
import static pulse.ingest.UserAgentsTest.HEADLESS;
import static pulse.ingest.UserAgentsTest.IE_TABLET_PC;
import static pulse.ingest.UserAgentsTest.LIGHTHOUSE;
import static pulse.ingest.UserAgentsTest.PETALBOT;
import static pulse.ingest.UserAgentsTest.SAFARI_IPAD;
import static pulse.ingest.UserAgentsTest.SAFARI_IPHONE;
import static pulse.ingest.UserAgentsTest.SAFARI_MAC;
import static pulse.ingest.UserAgentsTest.SAMSUNG_PHONE;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import ua_parser.Parser;

/** The prefiltered rules must answer exactly what uap-java's own Parser answers. */
class PrefilteredUapRulesTest {

  private static final PrefilteredUapRules rules = PrefilteredUapRules.shared();

  private static String browserFamily(String ua) {
    return rules.browser(ua, ua.toLowerCase(Locale.ROOT));
  }

  private static String osFamily(String ua) {
    return rules.os(ua, ua.toLowerCase(Locale.ROOT));
  }

  private static boolean spiderDevice(String ua) {
    return rules.spiderDevice(ua, ua.toLowerCase(Locale.ROOT));
  }

  @Test
  void compiledOncePerJvm() {
    assertSame(PrefilteredUapRules.shared(), PrefilteredUapRules.shared());
    assertSame(rules, PrefilteredUapRules.shared());
  }

  @Test
  void uapSpiderDeviceIsRecognised() {
    // PetalBot is a uap "Spider" device and browser family.
    assertTrue(spiderDevice(PETALBOT));
    assertTrue(spiderDevice(GOOGLEBOT_SMARTPHONE));
    assertFalse(spiderDevice(CHROME_ANDROID_PHONE));
  }

  /** Browser, OS and Spider-device results must be exactly what uap-java's own Parser says. */
  @Test
  void agreesWithUapJavaParser() {
    Parser uap = new Parser();
    List<String> uas = new ArrayList<>(List.of(CHROME_WINDOWS, EDGE_WINDOWS, SAFARI_MAC,
        SAFARI_IPHONE, SAFARI_IPAD, CHROME_ANDROID_PHONE, CHROME_ANDROID_TABLET, FIREFOX_LINUX,
        FIREFOX_ANDROID_TABLET, SAMSUNG_PHONE, CUBOT_PHONE, IE_TABLET_PC, GOOGLEBOT,
        GOOGLEBOT_SMARTPHONE, BINGBOT, PETALBOT, GPTBOT, FACEBOOK, HEADLESS, LIGHTHOUSE,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Silk/110.5.1 like Chrome/110.0.5481.154 Safari/537.36",
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; M2101K6G Build/TKQ1.221013.002; wv) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 "
            + "[FB_IAB/FB4A;FBAV/462.0.0.41.83;]",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Mobile/15E148 Instagram 329.0.3.29.120",
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows Phone OS 7.5; Trident/5.0; IEMobile/9.0; "
            + "NOKIA; Lumia 800)",
        "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) "
            + "Presto/2.5.25 Version/10.54",
        "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)",
        "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36",
        "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "DuckDuckBot-Https/1.1; (+https://duckduckgo.com/duckduckbot)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) WordPress.com mShots",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/124.0.0.0 Safari/537.36 Vivaldi/6.7",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0 "
            + "Waterfox/G6.0.12",
        "Mozilla/5.0 (Linux; U; Android 4.0.3; ko-kr; LG-L160L Build/IML74K) AppleWebkit/534.30 "
            + "(KHTML, like Gecko) Version/4.0 Mobile Safari/534.30",
        "curl/8.5.0", "Wget/1.21.4", "python-requests/2.31.0", "Go-http-client/2.0", "",
        "x", "Mozilla", "spider", "SPIDER-man/1.0", "bot", "Bot/1 (iPhone)", "()|[]{}.*+?\\"));
    for (String ua : uas) {
      assertEquals(uap.parseUserAgent(ua).family, browserFamily(ua), "browser: " + ua);
      assertEquals(uap.parseOS(ua).family, osFamily(ua), "os: " + ua);
      assertEquals("Spider".equals(uap.parseDevice(ua).family), spiderDevice(ua),
          "spider: " + ua);
    }
  }
}
