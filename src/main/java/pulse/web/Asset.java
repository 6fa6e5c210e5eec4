package pulse.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A file Pulse serves to browsers, read once from the classpath at start-up, with a content hash
 * that is both its ETag and the version in URLs that may be cached for ever.
 */
final class Asset {
  private final Buffer body;
  private final String contentType;
  private final String version;

  Asset(byte[] bytes, String contentType) {
    this.body = Buffer.buffer(bytes);
    this.contentType = contentType;
    try {
      this.version = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
          .substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A file under src/main/resources/web/. */
  static Asset resource(String name, String contentType) {
    return new Asset(bytes(name), contentType);
  }

  static byte[] bytes(String name) {
    try (InputStream in = Asset.class.getResourceAsStream("/web/" + name)) {
      if (in == null) {
        throw new IllegalStateException("web/" + name + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read web/" + name + ": " + e.getMessage(), e);
    }
  }

  static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  /** The content hash: a version for URLs ({@code /live.js?v=...}) and the ETag. */
  String version() {
    return version;
  }

  /** Answers with the file, or 304 when the browser already holds this version. */
  void serve(RoutingContext ctx, String cacheControl) {
    HttpServerResponse response = ctx.response()
        .putHeader("Content-Type", contentType)
        .putHeader("Cache-Control", cacheControl)
        .putHeader("ETag", "\"" + version + "\"");
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    if (ifNoneMatch != null && ifNoneMatch.contains("\"" + version + "\"")) {
      response.setStatusCode(304).end();
      return;
    }
    response.end(body);
  }
}
