package dev.wharf.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read load through wrk (Debian's package): on 2 shared cores a JVM load generator spends more
 * CPU per request than the server, so high request rates are driven from C.
 */
final class Wrk {
  private Wrk() {}

  static boolean available() {
    try {
      return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() >= 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** GETs paths chosen at random from {@code paths} for {@code seconds} over {@code connections}. */
  static Load.Result get(String name, String base, String token, List<String> paths, int connections, int seconds)
      throws Exception {
    Path script = Files.createTempFile("wharf-wrk", ".lua");
    StringBuilder lua = new StringBuilder("local paths = {");
    for (String p : paths) {
      lua.append('"').append(p).append("\",");
    }
    lua.append("}\n");
    if (token != null) {
      lua.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(token).append("\"\n");
    }
    lua.append("request = function()\n  return wrk.format(\"GET\", paths[math.random(#paths)])\nend\n");
    Files.writeString(script, lua);
    Process p = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency",
        "-s", script.toString(), base).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      in.lines().forEach(l -> out.append(l).append('\n'));
    }
    p.waitFor();
    String text = out.toString();
    double rps = number(text, "Requests/sec:\\s+([\\d.]+)");
    long requests = (long) number(text, "(\\d+) requests in");
    long non2xx = text.contains("Non-2xx") ? (long) number(text, "Non-2xx or 3xx responses: (\\d+)") : 0;
    return new Load.Result(name, requests, requests - non2xx, seconds, rps,
        millis(text, "50%"), millis(text, "99%"), millis(text, "100%"), non2xx == 0 ? Map.of() : Map.of("non-2xx", non2xx));
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** wrk prints latencies like "  50%  1.23ms" or "99%  120.00us" or "2.01s". */
  private static double millis(String text, String percentile) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)").matcher(text);
    if (!m.find()) {
      return 0;
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }
}
