package pulse.web;

/**
 * The "live | 23 online" SVG badge, drawn in the flat style README badges use. Text widths come
 * from a small table of Verdana 11px advances, so the badge fits its text without a font at hand.
 */
final class Badge {
  private static final String LABEL = "live";
  private static final int PAD = 6;

  private Badge() {}

  static String svg(long activeVisitors) {
    String value = activeVisitors + " online";
    int left = width(LABEL) + 2 * PAD + 10; // room for the dot
    int right = width(value) + 2 * PAD;
    int total = left + right;
    String color = activeVisitors > 0 ? "#2ea44f" : "#9f9f9f";
    return """
        <svg xmlns="http://www.w3.org/2000/svg" width="%1$d" height="20" role="img" \
        aria-label="%2$s: %3$s">\
        <title>%2$s: %3$s</title>\
        <linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" \
        stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>\
        <clipPath id="r"><rect width="%1$d" height="20" rx="3" fill="#fff"/></clipPath>\
        <g clip-path="url(#r)"><rect width="%4$d" height="20" fill="#555"/>\
        <rect x="%4$d" width="%5$d" height="20" fill="%6$s"/>\
        <rect width="%1$d" height="20" fill="url(#s)"/></g>\
        <circle cx="%7$d" cy="10" r="3" fill="%6$s"/>\
        <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" \
        font-size="11">\
        <text x="%8$s" y="15" fill="#010101" fill-opacity=".3">%2$s</text>\
        <text x="%8$s" y="14">%2$s</text>\
        <text x="%9$s" y="15" fill="#010101" fill-opacity=".3">%3$s</text>\
        <text x="%9$s" y="14">%3$s</text></g></svg>
        """.formatted(total, LABEL, value, left, right, color, PAD + 3,
            half(PAD + 10 + width(LABEL) / 2.0), half(left + right / 2.0));
  }

  private static String half(double x) {
    return x == Math.rint(x) ? Integer.toString((int) x) : Double.toString(x);
  }

  /** Approximate width in px of text in Verdana 11px. */
  static int width(String text) {
    double w = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        w += 7.0;
      } else if (c == ' ') {
        w += 3.9;
      } else if ("iljtf".indexOf(c) >= 0) {
        w += 3.6;
      } else if ("mw".indexOf(c) >= 0) {
        w += 10.0;
      } else if (Character.isUpperCase(c)) {
        w += 7.6;
      } else {
        w += 6.6;
      }
    }
    return (int) Math.ceil(w);
  }
}
