package pulse.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the named argument positions a Lua script declares ({@code local ARG = {prefix = 1, ...}},
 * {@code local FIELDS = 17}) and the constants of the Java class that mirrors them, so a test can
 * check that both name the same things with the same numbers.
 */
final class LuaArgNames {
  private static final Pattern TABLE =
      Pattern.compile("(?m)^local (\\w+) = \\{([^}]*)\\}");
  private static final Pattern ENTRY = Pattern.compile("(\\w+)\\s*=\\s*(\\d+)");
  private static final Pattern NUMBER = Pattern.compile("(?m)^local ([A-Z_]+) = (\\d+)\\s*$");

  private LuaArgNames() {}

  /**
   * For a script whose arguments are all named in one table ARG mirrored by {@code argClass}:
   * the script declares the Java names at the Java positions, 1 to {@code count} without gaps,
   * and outside comments reads ARGV only as ARGV[ARG.name], each exactly once.
   */
  static void assertArgumentsByName(String script, Class<?> argClass, int count) {
    org.junit.jupiter.api.Assertions.assertEquals(javaConstants(argClass), luaTable(script, "ARG"));
    org.junit.jupiter.api.Assertions.assertEquals(
        java.util.stream.IntStream.rangeClosed(1, count).boxed().toList(),
        javaConstants(argClass).values().stream().sorted().toList());
    Matcher m = Pattern.compile("ARGV\\[([^\\]]*)\\]")
        .matcher(script.replaceAll("(?m)--.*$", ""));
    int reads = 0;
    while (m.find()) {
      org.junit.jupiter.api.Assertions.assertTrue(m.group(1).matches("ARG\\.\\w+"),
          "ARGV[" + m.group(1) + "]");
      reads++;
    }
    org.junit.jupiter.api.Assertions.assertEquals(count, reads, "reads of ARGV");
  }

  /** The text of a script under /lua/ on the classpath, as LuaScript loads it. */
  static String script(String name) {
    try (InputStream in = LuaArgNames.class.getResourceAsStream("/lua/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing /lua/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entries of the script's table {@code local <table> = {name = number, ...}}, in order. */
  static Map<String, Integer> luaTable(String script, String table) {
    Matcher m = TABLE.matcher(script);
    while (m.find()) {
      if (m.group(1).equals(table)) {
        Map<String, Integer> entries = new LinkedHashMap<>();
        Matcher e = ENTRY.matcher(m.group(2));
        while (e.find()) {
          entries.put(e.group(1), Integer.parseInt(e.group(2)));
        }
        return entries;
      }
    }
    throw new AssertionError("no table 'local " + table + " = {...}' in the script");
  }

  /** The value of the script's {@code local <NAME> = <number>}. */
  static int luaNumber(String script, String name) {
    Matcher m = NUMBER.matcher(script);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return Integer.parseInt(m.group(2));
      }
    }
    throw new AssertionError("no 'local " + name + " = <number>' in the script");
  }

  /** A class's static int constants, their names in Lua's camelCase (SITE_ID: siteId). */
  static Map<String, Integer> javaConstants(Class<?> holder) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Field f : holder.getDeclaredFields()) {
      int mod = f.getModifiers();
      if (Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == int.class) {
        try {
          f.setAccessible(true);
          out.put(camelCase(f.getName()), f.getInt(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  static String camelCase(String constant) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char c : constant.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        sb.append(upper ? c : Character.toLowerCase(c));
        upper = false;
      }
    }
    return sb.toString();
  }
}
