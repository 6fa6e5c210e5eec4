package pulse.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The class a dropped bot is counted under, from real User-Agent headers of each kind. */
class BotClassTest {
  @Test
  void aiCrawlersAndAssistantsAreAi() {
    assertEquals("ai", BotClass.of("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible;"
        + " GPTBot/1.2; +https://openai.com/gptbot)"));
    assertEquals("ai", BotClass.of("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible;"
        + " ClaudeBot/1.0; +claudebot@anthropic.com)"));
    assertEquals("ai", BotClass.of("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible;"
        + " PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)"));
    assertEquals("ai", BotClass.of("CCBot/2.0 (https://commoncrawl.org/faq/)"));
  }

  @Test
  void searchEnginesMonitorsScriptsAndTheRest() {
    assertEquals("search", BotClass.of(
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));
    assertEquals("search", BotClass.of(
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"));
    assertEquals("monitor", BotClass.of(
        "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"));
    assertEquals("script", BotClass.of("curl/8.5.0"));
    assertEquals("script", BotClass.of("python-requests/2.31.0"));
    assertEquals("script", BotClass.of("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
        + "(KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36"));
    assertEquals("script", BotClass.of(null), "no User-Agent at all");
    assertEquals("script", BotClass.of(" "));
    assertEquals("other", BotClass.of("Mozilla/5.0 (compatible; SemrushBot/7~bl)"));
  }
}
