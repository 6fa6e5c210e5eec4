package pulse.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The load client the bench/* scripts drive: {@code java -jar pulse-bench.jar <command> --opt v}.
 * Progress goes to stderr; results go to stdout as {@code key=value} lines the scripts put in their
 * tables.
 */
public final class Main {
  private Main() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      usage();
    }
    Args args = new Args(argv);
    // the client shares two cores with Pulse and Redis: one event loop is plenty and keeps it fair
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(args.integer("loops", 1))
        .setPreferNativeTransport(true));
    int code = 0;
    try {
      switch (argv[0]) {
        case "seed" -> Seed.run(vertx, args);
        case "latency" -> Latency.run(vertx, args);
        case "poll" -> Pollers.run(vertx, args);
        case "fanout" -> Fanout.run(vertx, args);
        case "load" -> Load.run(vertx, args);
        case "scale" -> Scale.run(vertx, args);
        case "scale-check" -> ScaleCheck.run(vertx, args);
        default -> usage();
      }
    } catch (Exception e) {
      System.err.println("bench: " + argv[0] + " failed: " + e);
      code = 1;
    } finally {
      vertx.close().await();
    }
    System.exit(code);
  }

  private static void usage() {
    System.err.println("usage: pulse-bench seed|latency|poll|fanout|load|scale|scale-check --url http://127.0.0.1:PORT ...");
    System.exit(2);
  }
}
