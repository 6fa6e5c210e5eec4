package pulse.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A real Redis for tests: a Testcontainers container where a Docker engine runs, otherwise a
 * {@code redis-server} process started on a free port (CI installs the Debian package).
 */
public final class TestRedis {
  private static TestRedis shared;

  private final int port;
  private final GenericContainer<?> container;
  private final List<String> extraArgs;
  private Process process;
  private Path dir;

  private TestRedis(int port, GenericContainer<?> container, List<String> extraArgs) {
    this.port = port;
    this.container = container;
    this.extraArgs = extraArgs;
  }

  /** One Redis for the whole test run; tests keep apart by site id or call {@link #flushAll()}. */
  public static synchronized TestRedis shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
    }
    return shared;
  }

  public static TestRedis start() {
    if (dockerAvailable()) {
      GenericContainer<?> c = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
      c.start();
      return new TestRedis(c.getMappedPort(6379), c, List.of());
    }
    return startProcess(List.of());
  }

  /** A redis-server process of its own (for tests that stop and restart it, or run a cluster node). */
  public static TestRedis startProcess(List<String> extraArgs) {
    TestRedis redis = new TestRedis(freePort(), null, extraArgs);
    redis.startServer();
    return redis;
  }

  private static boolean dockerAvailable() {
    if (System.getenv("PULSE_TEST_NO_DOCKER") != null) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  private void startServer() {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("pulse-redis-");
      }
      List<String> cmd = new ArrayList<>(List.of(redisServer(), "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
      cmd.addAll(extraArgs);
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile()).start();
      long deadline = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("redis-server exited: "
              + Files.readString(dir.resolve("redis.log")));
        }
        try {
          if (command("PING").contains("PONG")) {
            return;
          }
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      throw new IllegalStateException("redis-server did not answer on port " + port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (apt-get install redis-server): "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String redisServer() {
    for (String dirName : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dirName, "redis-server");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    for (String candidate : new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    throw new IllegalStateException("no Docker engine and no redis-server on PATH: "
        + "install redis-server (apt-get install redis-server)");
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Stops the server (only for a process of our own); {@link #restart()} brings it back. */
  public void stop() {
    if (container != null) {
      container.stop();
    } else if (process != null) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public void restart() {
    if (container != null) {
      throw new UnsupportedOperationException("restart needs a redis-server process");
    }
    startServer();
  }

  public void flushAll() {
    try {
      command("FLUSHALL");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends one inline command and returns the raw first reply line(s). */
  public String command(String... args) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
        sb.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
      }
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[65536];
      int n = in.read(buf);
      return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
    }
  }
}
