package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pulse.ingest.UserAgents.Agent;

class UserAgentsTest {

  static final String CHROME_WINDOWS =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          + "Chrome/124.0.0.0 Safari/537.36";
  static final String EDGE_WINDOWS = CHROME_WINDOWS + " Edg/124.0.2478.80";
  static final String SAFARI_MAC =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          + "Version/17.4 Safari/605.1.15";
  static final String SAFARI_IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
          + "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
  static final String SAFARI_IPAD =
      "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          + "Version/16.6 Mobile/15E148 Safari/604.1";
  static final String CHROME_ANDROID_PHONE =
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
          + "Chrome/124.0.6367.82 Mobile Safari/537.36";
  static final String CHROME_ANDROID_TABLET =
      "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
          + "Chrome/124.0.0.0 Safari/537.36";
  static final String FIREFOX_LINUX =
      "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";
  static final String FIREFOX_ANDROID_TABLET =
      "Mozilla/5.0 (Android 4.4; Tablet; rv:41.0) Gecko/41.0 Firefox/41.0";
  static final String SAMSUNG_PHONE =
      "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
          + "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36";
  static final String CUBOT_PHONE =
      "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) "
          + "Chrome/120.0.0.0 Mobile Safari/537.36";
  static final String IE_TABLET_PC =
      "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; Touch; Tablet PC 2.0; rv:11.0) like Gecko";
  static final String GOOGLEBOT =
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
  static final String GOOGLEBOT_SMARTPHONE =
      "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
          + "(KHTML, like Gecko) Chrome/124.0.6367.118 Mobile Safari/537.36 "
          + "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
  static final String BINGBOT =
      "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
          + "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36";
  static final String PETALBOT =
      "Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) "
          + "Mobile Safari/537.36 "
          + "(compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)";
  static final String GPTBOT =
      "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
          + "+https://openai.com/gptbot)";
  static final String FACEBOOK =
      "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";
  static final String HEADLESS =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          + "HeadlessChrome/124.0.6367.60 Safari/537.36";
  static final String LIGHTHOUSE =
      "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 "
          + "(KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse";

  static UserAgents agents;
  static UserAgents headlessAllowed;

  @BeforeAll
  static void build() {
    agents = new UserAgents();
    headlessAllowed = new UserAgents(true);
  }

  private static void assertAgent(String browser, String os, String device, boolean bot,
      String ua) {
    assertEquals(new Agent(browser, os, device, bot), agents.parse(ua), ua);
  }

  @Test
  void chromeOnWindowsIsDesktop() {
    assertAgent("Chrome", "Windows", "desktop", false, CHROME_WINDOWS);
  }

  @Test
  void edgeAndSafariOnDesktop() {
    assertAgent("Edge", "Windows", "desktop", false, EDGE_WINDOWS);
    assertAgent("Safari", "Mac OS X", "desktop", false, SAFARI_MAC);
  }

  @Test
  void safariOnIphoneIsMobile() {
    assertAgent("Mobile Safari", "iOS", "mobile", false, SAFARI_IPHONE);
  }

  @Test
  void ipadIsTablet() {
    assertAgent("Mobile Safari", "iOS", "tablet", false, SAFARI_IPAD);
  }

  @Test
  void androidPhoneIsMobile() {
    assertAgent("Chrome Mobile", "Android", "mobile", false, CHROME_ANDROID_PHONE);
    assertAgent("Samsung Internet", "Android", "mobile", false, SAMSUNG_PHONE);
  }

  @Test
  void androidWithoutMobileIsTablet() {
    assertAgent("Chrome", "Android", "tablet", false, CHROME_ANDROID_TABLET);
    assertAgent("Firefox Mobile", "Android", "tablet", false, FIREFOX_ANDROID_TABLET);
  }

  @Test
  void firefoxOnLinuxIsDesktop() {
    assertAgent("Firefox", "Linux", "desktop", false, FIREFOX_LINUX);
  }

  @Test
  void windowsTabletPcIsStillDesktop() {
    assertAgent("IE", "Windows", "desktop", false, IE_TABLET_PC);
  }

  @Test
  void cubotPhoneIsNotABot() {
    assertFalse(agents.parse(CUBOT_PHONE).bot());
  }

  @Test
  void googlebotIsABot() {
    assertAgent("Googlebot", "Other", "desktop", true, GOOGLEBOT);
    Agent smartphone = agents.parse(GOOGLEBOT_SMARTPHONE);
    assertTrue(smartphone.bot());
    assertEquals("mobile", smartphone.device());
  }

  @Test
  void crawlersAndPreviewFetchersAreBots() {
    for (String ua : List.of(BINGBOT, PETALBOT, GPTBOT, FACEBOOK, LIGHTHOUSE,
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            + "Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
            + "+claudebot@anthropic.com)",
        "CCBot/2.0 (https://commoncrawl.org/faq/)",
        "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
        "Mozilla/5.0")) {
      assertTrue(agents.parse(ua).bot(), ua);
    }
  }

  @Test
  void curlAndLibrariesAreBots() {
    assertAgent("curl", "Other", "desktop", true, "curl/8.5.0");
    for (String ua : List.of("Wget/1.21.4", "python-requests/2.31.0", "Python-urllib/3.11",
        "Go-http-client/2.0", "Java/17.0.2", "Java-http-client/17.0.15", "okhttp/4.12.0",
        "axios/1.6.8", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "node",
        "Apache-HttpClient/4.5.14 (Java/17.0.8)", "Scrapy/2.11.1 (+https://scrapy.org)",
        "Vert.x-WebClient/5.1.1", "PostmanRuntime/7.37.3", "HTTPie/3.2.2", "SomeTool/1.0")) {
      assertTrue(agents.parse(ua).bot(), ua);
    }
  }

  @Test
  void headlessChromeIsABotUnlessAllowed() {
    Agent strict = agents.parse(HEADLESS);
    assertTrue(strict.bot());
    assertEquals("HeadlessChrome", strict.browser());

    assertEquals(new Agent("HeadlessChrome", "Linux", "desktop", false),
        headlessAllowed.parse(HEADLESS));
    // Allowing headless does not let other bots through.
    assertTrue(headlessAllowed.parse(GOOGLEBOT).bot());
    assertTrue(headlessAllowed.parse("curl/8.5.0").bot());
    assertFalse(headlessAllowed.parse(CHROME_WINDOWS).bot());
  }

  @Test
  void missingUserAgentIsAnUnknownBot() {
    Agent none = new Agent("Unknown", "Unknown", "desktop", true);
    assertEquals(none, agents.parse(null));
    assertEquals(none, agents.parse(""));
    assertEquals(none, agents.parse("   \t"));
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    assertEquals(agents.parse(CHROME_WINDOWS), agents.parse("  " + CHROME_WINDOWS + "\t"));
  }

  @Test
  void overlongHeaderIsTruncatedNotRejected() {
    String longUa = CHROME_WINDOWS + " " + "x".repeat(100_000) + " Googlebot/2.1";
    Agent a = agents.parse(longUa);
    // The bot marker lies beyond the first 512 characters and so is not seen.
    assertEquals(new Agent("Chrome", "Windows", "desktop", false), a);
    // A cut inside a surrogate pair must not break parsing.
    String emoji = "Mozilla/5.0 " + "\uD83D\uDE00".repeat(400);
    assertEquals("desktop", agents.parse(emoji).device());
  }

  @Test
  void repeatedParsesAreConsistentBeyondCacheCapacity() {
    Agent first = agents.parse(SAFARI_IPHONE);
    for (int i = 0; i < UserAgents.CACHE_SIZE + 100; i++) {
      agents.parse("Mozilla/5.0 (X11; Linux x86_64; rv:" + i + ".0) Gecko/20100101 Firefox/" + i);
    }
    assertEquals(first, agents.parse(SAFARI_IPHONE));
    assertEquals(first, agents.parse(SAFARI_IPHONE));
  }

  @Test
  void isSafeToShareBetweenThreads() throws Exception {
    List<String> uas = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      uas.add(CHROME_WINDOWS.replace("124.0.0.0", "124.0." + i + ".0"));
      uas.add(SAFARI_IPAD.replace("16_6", "16_" + i));
      uas.add("Mozilla/5.0 (compatible; Googlebot/2." + i + ")");
    }
    UserAgents shared = new UserAgents();
    List<Agent> expected = new ArrayList<>();
    for (String ua : uas) {
      expected.add(agents.parse(ua));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Agent>>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(pool.submit(() -> {
          List<Agent> got = new ArrayList<>();
          for (String ua : uas) {
            got.add(shared.parse(ua));
          }
          return got;
        }));
      }
      for (Future<List<Agent>> f : futures) {
        assertEquals(expected, f.get(2, TimeUnit.MINUTES));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** bench/ingest sends 1,000 distinct user agents: all stay cached, so each is parsed once. */
  @Test
  void aThousandDistinctAgentsAreAllHeldInTheCache() {
    UserAgents agents = new UserAgents();
    List<String> uas = new ArrayList<>();
    for (int k = 0; k < 1_000; k++) {
      uas.add("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/" + (100 + k % 40) + ".0." + k + ".0 Safari/537.36");
    }
    List<Agent> first = new ArrayList<>();
    for (String ua : uas) {
      first.add(agents.parse(ua));
    }
    assertEquals(1_000, agents.cached());
    for (int k = 0; k < uas.size(); k++) {
      assertTrue(first.get(k) == agents.parse(uas.get(k)), "parsed again: " + uas.get(k));
    }
  }
}
