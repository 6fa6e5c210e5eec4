package pulse;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import sun.misc.Signal;
import pulse.config.ConfigException;
import pulse.config.ConfigLoader;
import pulse.config.PulseConfig;
import pulse.config.ServerConfig;
import pulse.site.ShareCommand;
import pulse.site.Sites;
import pulse.site.TokenCommand;

/**
 * {@code java -jar pulse.jar [--demo | --help | token ... | share ...]}: reads the config, picks
 * the store, starts Pulse; {@code --demo} (or {@code PULSE_DEMO=true}) adds synthetic visitors to
 * the demo site.
 */
public final class Main {
  private Main() {}

  private static void stop(Pulse pulse, Vertx vertx, Logger log) {
    log.info("stopping: closing streams, flushing buffered events");
    CountDownLatch done = new CountDownLatch(1);
    pulse.close().onComplete(r -> vertx.close().onComplete(c -> done.countDown()));
    try {
      done.await(Pulse.FLUSH_TIMEOUT_MILLIS + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("stopped");
    System.exit(0);
  }

  public static void main(String[] args) {
    System.setProperty("java.util.logging.SimpleFormatter.format",
        "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    System.setProperty("vertx.disableDnsResolver", "true");
    if (args.length > 0 && args[0].equals("token")) {
      System.exit(TokenCommand.run(args, System.out, System.err));
    }
    if (args.length > 0 && args[0].equals("share")) {
      System.exit(ShareCommand.run(args, System.getenv(), Clock.systemUTC(), System.out,
          System.err));
    }
    Logger log = Logger.getLogger("pulse");
    CommandLine options;
    PulseConfig config;
    Sites sites;
    try {
      options = CommandLine.parse(args);
    } catch (ConfigException e) {
      System.err.println("pulse: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(CommandLine.USAGE);
      System.exit(0);
      return;
    }
    try {
      if (CommandLine.jsonLogs(System.getenv("PULSE_LOG_FORMAT"))) {
        for (java.util.logging.Handler handler : Logger.getLogger("").getHandlers()) {
          handler.setFormatter(new JsonLogFormatter());
        }
      }
      config = ConfigLoader.load(System.getenv());
      sites = Sites.load(config.sitesFile());
    } catch (ConfigException e) {
      System.err.println("pulse: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    boolean demo = options.demo();
    String demoEnv = System.getenv("PULSE_DEMO");
    if (demoEnv != null && !demoEnv.isBlank()) {
      String d = demoEnv.trim().toLowerCase(java.util.Locale.ROOT);
      if (!d.equals("true") && !d.equals("false")) {
        System.err.println("pulse: configuration error: PULSE_DEMO must be true or false, got '"
            + demoEnv + "'");
        System.exit(2);
      }
      demo = demo || d.equals("true");
    }
    // the native transport where Netty has one for this machine (epoll on Linux), else NIO
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    Pulse.start(vertx, config, sites, Clock.systemUTC(), new Pulse.Options(false, demo))
        .onSuccess(pulse -> {
          // SIGTERM and Ctrl-C: stop taking requests, close streams, flush the buffer, exit 0
          Signal.handle(new Signal("TERM"), sig -> stop(pulse, vertx, log));
          Signal.handle(new Signal("INT"), sig -> stop(pulse, vertx, log));
        })
        .onFailure(err -> {
          log.severe("pulse: cannot start: " + whyNot(err, config));
          vertx.close();
          System.exit(1);
        });
  }

  /** A start-up failure in the words a person acts on: a busy port names the port and the knob. */
  static String whyNot(Throwable err, PulseConfig config) {
    String message = String.valueOf(err.getMessage());
    if (err instanceof java.net.BindException || message.contains("Address already in use")) {
      ServerConfig server = config.server();
      return "port " + server.port() + " on " + server.host() + " is already in use (another"
          + " Pulse?); stop what holds it or set PULSE_PORT (or \"port\" in the config file)"
          + " to a free port";
    }
    return message;
  }
}
