package pulse.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds which literals a regular expression requires: reads the subset of java.util.regex syntax
 * that uap-core's rules use and works out literals every matching string must contain. {@link
 * PrefilteredUapRules} uses them as guards, to skip a rule cheaply when a header lacks them.
 * Anything it does not understand gives no literals, never a wrong one.
 */
final class LiteralScanner {

  /**
   * Guards for {@code regex}: clauses of lower-case literals such that every string the regex
   * matches contains at least one literal of each clause. E.g. {@code (Firefox)/(\d+)} gives
   * [["firefox/"]] and {@code (Googlebot|bingbot)/.{0,9}Mobile} gives [["googlebot",
   * "bingbot"], ["mobile"]]. Conservative: syntax not understood gives an empty list, which only
   * means the regex is always tried.
   */
  static List<List<String>> requiredClauses(String regex) {
    if (regex == null) {
      return List.of();
    }
    try {
      LiteralScanner scanner = new LiteralScanner(regex);
      Fragment f = scanner.alternation();
      if (scanner.pos != regex.length()) {
        return List.of();
      }
      List<List<String>> usable = new ArrayList<>();
      for (List<String> clause : f.clauses) {
        if (shortest(clause) >= 2) {
          List<String> lower = clause.stream().map(l -> l.toLowerCase(Locale.ROOT)).toList();
          if (!usable.contains(lower)) {
            usable.add(lower);
          }
        }
      }
      // Most selective first, so a failing guard is usually found with the first check.
      usable.sort(Comparator.comparingInt((List<String> c) -> -shortest(c))
          .thenComparingInt(List::size));
      return List.copyOf(usable);
    } catch (RuntimeException bail) {
      return List.of();
    }
  }

  /** Length of a clause's shortest literal; 0 if any literal is non-ASCII. */
  private static int shortest(List<String> clause) {
    int min = Integer.MAX_VALUE;
    for (String l : clause) {
      boolean ascii = l.chars().allMatch(c -> c < 128);
      min = Math.min(min, ascii ? l.length() : 0);
    }
    return min;
  }

  /**
   * The most selective usable clause of a fragment (longest shortest-literal, then fewest
   * literals), or null. Usable: all literals ASCII and at least two characters long.
   */
  private static List<String> bestClause(Fragment f) {
    List<String> best = null;
    for (List<String> clause : f.clauses) {
      int min = shortest(clause);
      if (min >= 2 && (best == null || min > shortest(best)
          || (min == shortest(best) && clause.size() < best.size()))) {
        best = clause;
      }
    }
    return best;
  }

  /**
   * What a piece of regex guarantees about any string it matches: every clause holds (a clause
   * is a list of literals, at least one of which occurs), and, if the piece only ever matches
   * one fixed string (ignoring ASCII case), that string ({@code exact}).
   */
  private record Fragment(List<List<String>> clauses, String exact) {}

  // The scanner proper: a recursive-descent reader that throws on syntax it does not know.

  private final String re;
  private int pos;

  private LiteralScanner(String re) {
    this.re = re;
  }

  /** alternation := sequence ('|' sequence)*; stops before ')' or at the end. */
  private Fragment alternation() {
    Fragment first = sequence();
    if (pos >= re.length() || re.charAt(pos) != '|') {
      return first;
    }
    // A match matches some branch, so it satisfies that branch's best clause: the union of
    // every branch's best clause is a clause of the whole. One branch without one spoils it.
    List<String> union = new ArrayList<>();
    boolean usable = addBest(union, first);
    while (pos < re.length() && re.charAt(pos) == '|') {
      pos++;
      usable &= addBest(union, sequence());
    }
    return new Fragment(usable ? List.of(List.copyOf(union)) : List.of(), null);
  }

  private static boolean addBest(List<String> union, Fragment branch) {
    List<String> best = bestClause(branch);
    if (best == null) {
      return false;
    }
    union.addAll(best);
    return true;
  }

  private Fragment sequence() {
    List<List<String>> clauses = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean exact = true;
    while (pos < re.length()) {
      char c = re.charAt(pos);
      char literal;
      if (c == '|' || c == ')') {
        break;
      }
      if (c == '(') {
        pos++;
        if (pos < re.length() && re.charAt(pos) == '?') {
          // Only non-capturing groups; lookarounds, flags, named groups etc. give up.
          if (!re.startsWith("?:", pos)) {
            throw new IllegalArgumentException("unsupported group");
          }
          pos += 2;
        }
        Fragment inner = alternation();
        expect(')');
        Quantifier q = quantifier();
        if (q.min == 0) {
          flush(cur, clauses);
          exact = false;
        } else if (q.single && inner.exact != null) {
          cur.append(inner.exact);
        } else {
          flush(cur, clauses);
          clauses.addAll(inner.clauses);
          exact = false;
        }
        continue;
      }
      if (c == '[' && isCaseClass(pos)) {
        // [Ss] matches one letter in either case; guards compare lower-case text anyway.
        literal = Character.toLowerCase(re.charAt(pos + 1));
        pos += 4;
      } else if (c == '[') {
        skipClass();
        quantifier();
        flush(cur, clauses);
        exact = false;
        continue;
      } else if (c == '\\') {
        if (pos + 1 >= re.length()) {
          throw new IllegalArgumentException("dangling escape");
        }
        char e = re.charAt(pos + 1);
        pos += 2;
        if (Character.isLetterOrDigit(e)) {
          if ("dDwWsSbB".indexOf(e) < 0) {
            throw new IllegalArgumentException("unsupported escape");
          }
          quantifier();
          flush(cur, clauses);
          exact = false;
          continue;
        }
        literal = e;
      } else if (c == '.' || c == '^' || c == '$') {
        pos++;
        quantifier();
        flush(cur, clauses);
        exact = false;
        continue;
      } else if (c == '*' || c == '+' || c == '?' || c == '{' || c == ']' || c == '}') {
        throw new IllegalArgumentException("unexpected " + c);
      } else {
        literal = c;
        pos++;
      }
      Quantifier q = quantifier();
      if (q.min == 0) {
        flush(cur, clauses);
        exact = false;
      } else if (q.single) {
        cur.append(literal);
      } else {
        cur.append(literal);
        flush(cur, clauses);
        exact = false;
      }
    }
    String exactString = exact ? cur.toString() : null;
    flush(cur, clauses);
    return new Fragment(clauses, exactString);
  }

  private record Quantifier(int min, boolean single) {}

  private static final Quantifier ONCE = new Quantifier(1, true);

  /** Reads an optional quantifier (with lazy/possessive suffix). */
  private Quantifier quantifier() {
    if (pos >= re.length()) {
      return ONCE;
    }
    char c = re.charAt(pos);
    int min;
    if (c == '?' || c == '*') {
      min = 0;
      pos++;
    } else if (c == '+') {
      min = 1;
      pos++;
    } else if (c == '{') {
      int close = re.indexOf('}', pos);
      if (close < 0) {
        throw new IllegalArgumentException("bad quantifier");
      }
      String body = re.substring(pos + 1, close);
      int comma = body.indexOf(',');
      min = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
      pos = close + 1;
    } else {
      return ONCE;
    }
    if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
      pos++;
    }
    return new Quantifier(min, false);
  }

  /** True if a class like {@code [Ss]} (one ASCII letter in both cases) starts at {@code i}. */
  private boolean isCaseClass(int i) {
    if (i + 3 >= re.length() || re.charAt(i + 3) != ']') {
      return false;
    }
    char a = re.charAt(i + 1);
    char b = re.charAt(i + 2);
    return a < 128 && b < 128 && Character.isLetter(a) && Character.isLetter(b) && a != b
        && Character.toLowerCase(a) == Character.toLowerCase(b);
  }

  private void skipClass() {
    pos++; // '['
    if (pos < re.length() && re.charAt(pos) == '^') {
      pos++;
    }
    if (pos < re.length() && re.charAt(pos) == ']') {
      throw new IllegalArgumentException("leading ] in class");
    }
    int depth = 1;
    while (pos < re.length()) {
      char c = re.charAt(pos);
      if (c == '\\') {
        pos += 2;
        continue;
      }
      pos++;
      if (c == '[') {
        depth++;
      } else if (c == ']' && --depth == 0) {
        return;
      }
    }
    throw new IllegalArgumentException("unclosed class");
  }

  private void expect(char c) {
    if (pos >= re.length() || re.charAt(pos) != c) {
      throw new IllegalArgumentException("expected " + c);
    }
    pos++;
  }

  private static void flush(StringBuilder cur, List<List<String>> clauses) {
    if (cur.length() > 0) {
      clauses.add(List.of(cur.toString()));
      cur.setLength(0);
    }
  }
}
