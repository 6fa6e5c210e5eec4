package pulse.api.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a Matomo request as PHP reads them: a query string or form body decoded as
 * UTF-8, the last of repeated names winning; {@code name[]} arrays are not Matomo parameters that
 * Pulse reads and are left as they are.
 */
final class MatomoParams {
  /** More parameters than any tracker sends; the rest are not read. */
  static final int MAX_PARAMS = 200;

  private MatomoParams() {}

  /**
   * A query string or form body, without a leading '?'; null or empty gives no parameters, a
   * malformed one (a bad %-escape) null.
   */
  static Map<String, String> decode(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    Map<String, List<String>> decoded;
    try {
      decoded = new QueryStringDecoder(query, StandardCharsets.UTF_8, false, MAX_PARAMS)
          .parameters();
    } catch (IllegalArgumentException e) {
      return null;
    }
    decoded.forEach((name, values) -> out.put(name, values.get(values.size() - 1)));
    return out;
  }

  /** Adds the parameters of from that into does not hold yet (PHP's {@code $_GET + $_POST}). */
  static Map<String, String> union(Map<String, String> into, Map<String, String> from) {
    from.forEach(into::putIfAbsent);
    return into;
  }

  /**
   * One entry of a bulk request's {@code requests}: a URL or "?query" string (its query, as
   * Matomo's parse_url reads it; empty when it has none, which Matomo skips) or an object of
   * parameters (empty for anything else); null when its query is malformed.
   */
  static Map<String, String> bulkEntry(JsonNode entry) {
    if (entry.isTextual()) {
      String s = entry.asText();
      int q = s.indexOf('?');
      if (q < 0 || q == s.length() - 1) {
        return Map.of();
      }
      int hash = s.indexOf('#', q);
      return decode(hash < 0 ? s.substring(q + 1) : s.substring(q + 1, hash));
    }
    if (entry.isObject()) {
      Map<String, String> out = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = entry.fields();
      while (it.hasNext() && out.size() < MAX_PARAMS) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isValueNode() && !e.getValue().isNull()) {
          out.put(e.getKey(), e.getValue().asText());
        }
      }
      return out;
    }
    return Map.of();
  }
}
