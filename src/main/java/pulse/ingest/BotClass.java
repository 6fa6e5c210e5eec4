package pulse.ingest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which kind of bot a User-Agent is, for the snapshot's {@code bots} figures: what the realtime
 * count leaves out. Checked in this order, so an AI crawler that also names itself a search bot
 * counts as AI; anything else that {@link UserAgents} calls a bot is "other".
 */
public final class BotClass {
  /** Crawlers and assistants of AI companies (training, search answers, agents). */
  private static final Pattern AI = Pattern.compile("gptbot|chatgpt-user|oai-searchbot|claudebot"
      + "|claude-web|claude-user|claude-searchbot|anthropic-ai|perplexity|ccbot|bytespider"
      + "|google-extended|cohere-ai|meta-externalagent|meta-externalfetcher|diffbot|youbot"
      + "|ai2bot|amazonbot|applebot-extended|mistralai|timpibot|omgili|imagesiftbot");
  private static final Pattern SEARCH = Pattern.compile("googlebot|bingbot|bingpreview|yandex"
      + "|baiduspider|duckduckbot|slurp|applebot|petalbot|sogou|seznambot|naver|yeti|qwantify"
      + "|mojeek|exabot|google-inspectiontool|storebot-google|adsbot-google|mediapartners-google");
  private static final Pattern MONITOR = Pattern.compile("uptimerobot|pingdom|statuscake"
      + "|site24x7|newrelicpinger|datadog|better ?uptime|uptime-kuma|uptimekuma|checkly"
      + "|freshping|hetrixtools|nodeping|monitis|montastic|updown\\.io|cron-job|monitor");
  private static final Pattern SCRIPT = Pattern.compile("^curl/|^wget/|python-requests|python-urllib"
      + "|python-httpx|aiohttp|go-http-client|^java/|okhttp|node-fetch|axios|undici|libwww-perl"
      + "|headlesschrome|phantomjs|puppeteer|playwright|httpclient|scrapy|guzzlehttp|^ruby"
      + "|postmanruntime|insomnia|httpie|^php/|^dart:io|^deno/|^bun/|powershell");

  private BotClass() {}

  /** One of {@code search, ai, monitor, script, other}; a missing User-Agent is a script. */
  public static String of(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return "script";
    }
    String ua = userAgent.toLowerCase(Locale.ROOT);
    if (AI.matcher(ua).find()) {
      return "ai";
    }
    if (SEARCH.matcher(ua).find()) {
      return "search";
    }
    if (MONITOR.matcher(ua).find()) {
      return "monitor";
    }
    if (SCRIPT.matcher(ua).find()) {
      return "script";
    }
    return "other";
  }
}
