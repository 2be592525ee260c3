package dev.wharf.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Read load through wrk (Debian's package): on 2 shared cores a JVM load generator spends more
 * CPU per request than the server, so high request rates are driven from C.
 */
final class Wrk {
  private Wrk() {}

  /** How long a wrk intake run may take before it counts as failed: -Dwharf.bench.wrkSeconds, default 900. */
  private static int intakeBoundSeconds() {
    return Integer.getInteger("wharf.bench.wrkSeconds", 900);
  }

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
    Path script = ScratchDirs.file("wrk-get", ".lua");
    try {
      return get(name, base, token, paths, connections, seconds, script);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static Load.Result get(String name, String base, String token, List<String> paths, int connections,
                                 int seconds, Path script) throws Exception {
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

  /**
   * Sends every request once, in order, over {@code connections}, and stops once each has its answer
   * (or after -Dwharf.bench.wrkSeconds, or when {@code serverExit} completes): the intake workloads
   * driven from C, so that the generator leaves the cores to the node. wrk keeps every connection busy until it is stopped, so a connection
   * answered after the last order is sent asks GET /health once a second (no work for the engine; the
   * few such answers at the end are in wrk's latency figures, not in the counts). The clock runs from
   * the first order sent to the last answered, as the script reports them.
   */
  static Intake intake(String name, String base, String token, List<Load.Request> requests, int connections,
                       CompletionStage<?> serverExit) throws Exception {
    return intake(name, base, token, requests, connections, 0, serverExit);
  }

  /**
   * The same, paced: wrk sends the requests on a fixed schedule of {@code perSecond} (0: each as soon
   * as a connection is free). A send that falls behind the schedule goes at once, so the offered rate
   * holds while connections are free; wrk still times each request from its send, not from its slot
   * (wrk2 would; Debian does not package it), so latencies under overload read low.
   */
  static Intake intake(String name, String base, String token, List<Load.Request> requests, int connections,
                       double perSecond, CompletionStage<?> serverExit) throws Exception {
    if (perSecond < 0) {
      throw new IllegalArgumentException("perSecond must not be negative");
    }
    for (Load.Request r : requests) {
      if (r.body().indexOf('\n') >= 0 || r.body().indexOf('\t') >= 0) {
        throw new IllegalArgumentException("one request per line: a body must not hold a tab or a newline");
      }
    }
    Path data = ScratchDirs.file("wrk-intake", ".tsv");
    try (var out = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
      for (Load.Request r : requests) {
        out.write(r.method() + "\t" + r.path() + "\t" + r.body() + "\n");
      }
    }
    Path script = ScratchDirs.file("wrk-intake", ".lua");
    // the schedule's step in milliseconds, written with a dot whatever the JVM's locale
    String intervalMs = perSecond == 0 ? "0" : java.math.BigDecimal.valueOf(1000.0 / perSecond).toPlainString();
    Files.writeString(script, INTAKE_SCRIPT.formatted(token, intervalMs));
    return new Intake(name, base, requests.size(), connections, intakeBoundSeconds(), serverExit, data, script);
  }

  // One wrk thread: the counters below are that thread's, and its output lines are read as they come.
  private static final String INTAKE_SCRIPT = """
      wrk.headers["Content-Type"] = "application/json"
      wrk.headers["Authorization"] = "Bearer %s"
      local reqs, n, sent, answered, accepted = {}, 0, 0, 0, 0
      local checked, step = false, 1
      local idle = nil
      local errs = {}
      local function say(line) io.write(line .. "\\n"); io.flush() end
      -- pacing: each send takes the next slot of a fixed schedule, interval ms apart (0: no pacing)
      local interval, next_slot = %s, nil
      local ffi = require("ffi") -- wrk runs LuaJIT; its clock is the monotonic one of the C library
      ffi.cdef[[
        typedef struct { long tv_sec; long tv_nsec; } wharf_timespec;
        int clock_gettime(int clock, wharf_timespec *ts);
      ]]
      local ts = ffi.new("wharf_timespec")
      local function now_ms()
        ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
        return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
      end
      init = function(args)
        for line in io.lines(args[1]) do
          local a = line:find("\t", 1, true)
          local b = line:find("\t", a + 1, true)
          n = n + 1
          reqs[n] = wrk.format(line:sub(1, a - 1), line:sub(a + 1, b - 1), nil, line:sub(b + 1))
        end
        idle = wrk.format("GET", "/health")
        step = math.max(1, math.floor(n / 10))
      end
      delay = function()
        if sent >= n then return 1000 end
        if interval == 0 then return 0 end
        local now = now_ms()
        next_slot = next_slot or now
        local wait = next_slot - now
        next_slot = next_slot + interval
        if wait <= 0 then return 0 end -- behind the schedule: send at once, as an open loop would
        return math.floor(wait)
      end
      request = function()
        -- wrk asks the first thread's script for one request to check that it parses, before any
        -- connection opens: that one is never sent
        if not checked then checked = true; return idle end
        sent = sent + 1
        if sent == 1 then say("WHARF_STARTED") end
        if sent <= n then return reqs[sent] end
        return idle
      end
      response = function(status, headers, body)
        if status == 200 and not body:find('"orderId"', 1, true) then return end -- /health
        answered = answered + 1
        if status < 300 then
          accepted = accepted + 1
        else
          local key = status .. " " .. (body:match('"code"%%s*:%%s*"([%%w_]+)"') or "?")
          errs[key] = (errs[key] or 0) + 1
        end
        if answered %% step == 0 and answered < n then say("WHARF_PROGRESS " .. answered .. " of " .. n .. ", " .. sent .. " sent") end
        if answered == n then
          local parts = {}
          for k, v in pairs(errs) do parts[#parts + 1] = k .. "=" .. v end
          say("WHARF_ACCEPTED " .. accepted)
          say("WHARF_ERRORS " .. table.concat(parts, ";"))
          say("WHARF_ALL_ANSWERED")
          wrk.thread:stop()
        end
      end
      """;

  /** An intake run written out and ready to start (the bodies on disk, wrk's script beside them). */
  record Intake(String name, String base, int count, int connections, int maxSeconds, CompletionStage<?> serverExit,
                Path data, Path script) {
    Load.Result run() throws Exception {
      try {
        return Wrk.run(this);
      } finally {
        Files.deleteIfExists(data);
        Files.deleteIfExists(script);
      }
    }
  }

  private static Load.Result run(Intake intake) throws Exception {
    Process p = new ProcessBuilder("wrk", "-t1", "-c" + intake.connections(), "-d" + intake.maxSeconds() + "s",
        "--latency", "-s", intake.script().toString(), intake.base(), "--", intake.data().toString())
        .redirectErrorStream(true).start();
    // a server that dies mid-run answers nothing more: stop wrk then instead of waiting out -d
    AtomicBoolean serverExited = new AtomicBoolean();
    intake.serverExit().thenRun(() -> {
      serverExited.set(true);
      p.destroy();
    });
    StringBuilder out = new StringBuilder();
    long started = 0;
    long finished = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.append(line).append('\n');
        if (line.equals("WHARF_STARTED")) {
          started = System.nanoTime();
        } else if (line.equals("WHARF_ALL_ANSWERED")) {
          finished = System.nanoTime();
          // wrk's main thread sleeps out -d whatever its worker does; SIGINT ends that and prints the summary
          new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        } else if (line.startsWith("WHARF_PROGRESS")) {
          System.err.println(intake.name() + ": " + line.substring("WHARF_PROGRESS ".length()));
        }
      }
      p.waitFor();
    } finally {
      p.destroyForcibly(); // a bench that fails mid-run must not leave wrk sending
    }
    String text = out.toString();
    if (started == 0) {
      throw new IllegalStateException("wrk did not start its run:\n" + text);
    }
    long accepted = (long) number(text, "WHARF_ACCEPTED (\\d+)");
    Map<String, Long> errors = new java.util.TreeMap<>();
    Matcher e = Pattern.compile("WHARF_ERRORS (.*)").matcher(text); // keys are "status CODE", with a space
    if (e.find() && !e.group(1).isEmpty()) {
      for (String kv : e.group(1).split(";")) {
        int eq = kv.lastIndexOf('=');
        errors.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
      }
    }
    long answered = accepted + errors.values().stream().mapToLong(Long::longValue).sum();
    if (finished == 0) {
      // cut off by -d or by the server's exit: what was answered is not reported, so every order counts as unanswered
      finished = System.nanoTime();
      errors.put(serverExited.get() ? "the server exited before every order was answered"
          : "not all answered within " + intake.maxSeconds() + " s", (long) intake.count());
      System.err.println(intake.name() + ": wrk was cut off before every order had its answer:\n" + text);
    }
    double seconds = (finished - started) / 1e9;
    return new Load.Result(intake.name(), intake.count(), accepted, seconds, answered / seconds,
        millis(text, "50%"), millis(text, "99%"), millis(text, "100%"), Map.copyOf(errors));
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** wrk prints latencies like "  50%  1.23ms" or "99%  120.00us" or "2.01s". */
  static double millis(String text, String percentile) {
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
