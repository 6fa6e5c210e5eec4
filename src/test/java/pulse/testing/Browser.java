package pulse.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium driven through chromedriver: Debian's {@code chromium} and
 * {@code chromium-driver} packages ({@code .ci/run} installs them), never a downloaded browser.
 * {@code PULSE_CHROMIUM} and {@code PULSE_CHROMEDRIVER} point at other binaries.
 *
 * <p>When they are missing the tests fail and say how to install them; only with
 * {@code PULSE_SKIP_BROWSER_TESTS} set are they skipped instead.
 */
public final class Browser implements AutoCloseable {
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /** The Chromium of this JVM's browser test classes (see {@link #shared()}), or null. */
  private static Browser shared;

  private final WebDriver driver;
  private final Path profile;
  /** Quits Chromium should the JVM end before {@link #close()}: no browser outlives the tests. */
  private final Thread quitAtExit;
  /** The origins pages were opened on, whose storage {@link #reset()} clears. */
  private final Set<String> origins = new LinkedHashSet<>();

  private Browser(WebDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
    this.quitAtExit = new Thread(this::quit, "quit-chromium");
    Runtime.getRuntime().addShutdownHook(quitAtExit);
  }

  public static Browser start() {
    String chromium = binary("PULSE_CHROMIUM", "/usr/bin/chromium");
    String chromedriver = binary("PULSE_CHROMEDRIVER", "/usr/bin/chromedriver");
    String missing = !new File(chromium).canExecute() ? chromium
        : !new File(chromedriver).canExecute() ? chromedriver : null;
    if (missing != null) {
      String message = "browser tests need Chromium and chromedriver, but " + missing
          + " is missing: apt-get install chromium chromium-driver (or set PULSE_CHROMIUM and "
          + "PULSE_CHROMEDRIVER; PULSE_SKIP_BROWSER_TESTS=1 skips these tests)";
      if (System.getenv("PULSE_SKIP_BROWSER_TESTS") != null) {
        Assumptions.abort("PULSE_SKIP_BROWSER_TESTS is set: " + message);
      }
      Assertions.fail(message);
    }
    // Selenium's own CDP bindings lag Chromium's version: its warning about that is noise here
    Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
    // the driver is named explicitly, so Selenium Manager never looks for (or downloads) one
    System.setProperty("webdriver.chrome.driver", chromedriver);
    try {
      Path profile = Files.createTempDirectory("pulse-chromium-");
      Files.createDirectories(Path.of("target"));
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(new File(chromedriver))
          .usingAnyFreePort()
          .withLogFile(new File("target/chromedriver.log"))
          .build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(chromium);
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
          "--disable-dev-shm-usage", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run",
          "--disable-extensions", "--mute-audio", "--hide-scrollbars", "--window-size=1280,1000",
          "--user-data-dir=" + profile);
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      WebDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
      return new Browser(driver, profile);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One Chromium for all the browser test classes of this JVM, reset for each: starting one and
   * loading its first page takes seconds, which every class paid again. Quit when the JVM ends.
   */
  public static synchronized Browser shared() {
    if (shared == null) {
      shared = start();
    } else {
      shared.reset();
    }
    return shared;
  }

  /**
   * Back to how {@link #start()} leaves it, for the next test class: one window, on a blank page,
   * at the first size, no cookies, nothing stored by the pages opened so far, and the console
   * read (the last class's pages, left for about:blank, logged what they logged).
   */
  private void reset() {
    List<String> windows = List.copyOf(driver.getWindowHandles());
    for (int i = 1; i < windows.size(); i++) {
      driver.switchTo().window(windows.get(i)).close();
    }
    driver.switchTo().window(windows.get(0));
    driver.get("about:blank");
    size(1280, 1000);
    ChromeDriver chrome = (ChromeDriver) driver;
    chrome.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    for (String origin : origins) {
      chrome.executeCdpCommand("Storage.clearDataForOrigin",
          Map.of("origin", origin, "storageTypes", "all"));
    }
    origins.clear();
    console();
  }

  private static String binary(String env, String fallback) {
    String value = System.getenv(env);
    return value == null || value.isBlank() ? fallback : value;
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    URI uri = URI.create(url);
    if (uri.getScheme() != null && uri.getScheme().startsWith("http")) {
      origins.add(uri.getScheme() + "://" + uri.getRawAuthority());
    }
    driver.get(url);
  }

  @SuppressWarnings("unchecked")
  public <T> T js(String script, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(script, args);
  }

  public void size(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Makes the viewport as tall as the page, so a screenshot holds all of it. */
  public void fitHeight(int width) {
    long chrome = this.<Number>js("return window.outerHeight - window.innerHeight;").longValue();
    long page = this.<Number>js("return document.documentElement.scrollHeight;").longValue();
    size(width, (int) (page + chrome));
  }

  /** Saves what the browser shows as target/screenshots/{name}.png (a test artifact). */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path target = SCREENSHOTS.resolve(name + ".png");
      Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
      return target;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The browser console since the last call (errors, CSP violations, failed loads). */
  public List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(LogEntry::toString).toList();
  }

  /** Waits until the condition holds; fails with the message (and what JS says) otherwise. */
  public static void await(Duration timeout, String message, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        Assertions.fail("timed out after " + timeout.toMillis() + " ms: " + message);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        Assertions.fail("interrupted");
      }
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(quitAtExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    quit();
  }

  /** Quits Chromium and deletes its profile (also when the JVM ends: the shared browser). */
  private void quit() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp directory: best effort
      }
    }
  }
}
