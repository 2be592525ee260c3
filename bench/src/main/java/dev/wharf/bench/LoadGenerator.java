package dev.wharf.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wharf.engine.domain.OrderIds;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drives a running Wharf node the way marketplace connectors do (deploy/bin/load): sets up its own
 * warehouse, clients, SKUs, stores and mappings (bundles among them), sends auto-reviewed orders one
 * request each or over one NDJSON stream per store, waits until the reviews are done, then reads
 * every order and every stock entry back and checks them against what it sent.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Sends orders to a running Wharf node and checks the result through its API.")
public final class LoadGenerator implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "the node's API, e.g. http://127.0.0.1:8080")
  String url;

  @Option(names = "--token", defaultValue = "${env:WHARF_ADMIN_TOKEN}",
      description = "admin token (default: $WHARF_ADMIN_TOKEN)")
  String token;

  @Option(names = "--clients", defaultValue = "4", description = "sellers (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--stores-per-client", defaultValue = "1", description = "default: ${DEFAULT-VALUE}")
  int storesPerClient;

  @Option(names = "--skus", defaultValue = "100", description = "SKUs per client (default: ${DEFAULT-VALUE})")
  int skus;

  @Option(names = "--zipf", defaultValue = "1.0", description = "popularity skew exponent (default: ${DEFAULT-VALUE})")
  double zipf;

  @Option(names = "--lines", defaultValue = "1-3", description = "lines per order, a range (default: ${DEFAULT-VALUE})")
  String lines;

  @Option(names = "--bundles", defaultValue = "0.1",
      description = "share of lines that are two-SKU bundles (default: ${DEFAULT-VALUE})")
  double bundles;

  @Option(names = "--concurrency", defaultValue = "64", description = "requests in flight; with --stream, unanswered orders per stream (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--orders", defaultValue = "10000", description = "orders to send (default: ${DEFAULT-VALUE})")
  long orders;

  @Option(names = "--duration", defaultValue = "0", description = "send for this many seconds instead of a count")
  int duration;

  @Option(names = "--stream", description = "one NDJSON stream per store instead of one request per order")
  boolean stream;

  @Option(names = "--driver", defaultValue = "auto", description = "who sends one request per order: wrk (from C,"
      + " leaves the cores to the node; needs --orders), jvm, or auto: wrk when installed (default: ${DEFAULT-VALUE})")
  String driver;

  @Option(names = "--stock", defaultValue = "1000000", description = "units received per SKU (default: ${DEFAULT-VALUE})")
  long stock;

  @Option(names = "--fees", description = "the clients pay outbound fees (2.00 USD per order, 0.50 per additional"
      + " unit) on a credit line: every review holds its order's fee, and the check adds up each account's held fees")
  boolean fees;

  @Option(names = "--ship", description = "with --fees: then ship every allocated order, close a statement per"
      + " client and check that it settles exactly the shipped orders' fees, and that each order names it")
  boolean ship;

  @Option(names = "--prefix", description = "names this run's master data and orders (default: L + the time)")
  String prefix;

  @Option(names = "--seed", defaultValue = "42", description = "default: ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--out", description = "also write the result as JSON to this file")
  Path out;

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    PekkoClient.shutdown();
    System.exit(code);
  }

  /** The command: exit 0 when every order checked out, 1 when not, 2 for a refused set-up or a bad option. */
  static CommandLine commandLine() {
    return new CommandLine(new LoadGenerator())
        // a refused set-up or a bad option is the user's to fix: its message, not a stack trace
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("load: " + e.getMessage());
          return 2;
        });
  }

  @Override
  public Integer call() throws Exception {
    int minLines;
    int maxLines;
    try {
      String[] range = lines.split("-");
      minLines = Integer.parseInt(range[0].trim());
      maxLines = Integer.parseInt(range[range.length - 1].trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("lines must be a range like 1-3 or one number, not " + lines);
    }
    String runPrefix = prefix != null ? prefix : "L" + Long.toString(System.currentTimeMillis() / 1000, 36).toUpperCase();
    LoadSpec spec = new LoadSpec(runPrefix, clients, storesPerClient, skus, zipf, minLines, maxLines, bundles,
        concurrency, duration > 0 ? Long.MAX_VALUE : orders, duration, stream, stock, seed, fees, ship);
    boolean useWrk = switch (driver) {
      case "wrk" -> {
        if (!Wrk.available() || duration > 0 || stream) {
          throw new IllegalArgumentException("--driver wrk needs wrk installed, --orders and no --stream");
        }
        yield true;
      }
      case "jvm" -> false;
      case "auto" -> Wrk.available() && duration == 0 && !stream;
      default -> throw new IllegalArgumentException("--driver is auto, wrk or jvm, not " + driver);
    };
    Map<String, Object> result = run(new Load(url.replaceAll("/+$", ""), token), spec, useWrk);
    Load.JSON.enable(SerializationFeature.INDENT_OUTPUT);
    String json = Load.JSON.writeValueAsString(result);
    System.out.println(json);
    if (out != null) {
      java.nio.file.Files.writeString(out, json);
    }
    return Boolean.TRUE.equals(result.get("correct")) ? 0 : 1;
  }

  /** Sets up, sends, waits for the reviews and checks; the result as a JSON-ready map. */
  static Map<String, Object> run(Load api, LoadSpec spec) throws Exception {
    return run(api, spec, false);
  }

  /** The same, {@code withWrk}: one request per order sent by wrk (count mode only). */
  static Map<String, Object> run(Load api, LoadSpec spec, boolean withWrk) throws Exception {
    new LoadSetUp(api, spec).run();
    OrderMix mix = new OrderMix(spec);
    Map<String, Long> expectedUnits = new ConcurrentHashMap<>(); // "client/sku" -> units the accepted orders asked
    Map<String, Map<String, Long>> unitsByOrder = new ConcurrentHashMap<>(); // accepted order id -> its units
    long deadline = spec.durationSeconds() > 0 ? System.nanoTime() + spec.durationSeconds() * 1_000_000_000L : Long.MAX_VALUE;
    long start = System.nanoTime();
    Accepted accepted = accepted(unitsByOrder, expectedUnits);
    Load.Result intake;
    if (spec.stream()) {
      intake = new NdjsonSender(api, spec, mix, deadline).send(accepted);
    } else if (withWrk) {
      intake = sendWithWrk(api, spec, mix, accepted);
      start = System.nanoTime() - (long) (intake.seconds() * 1e9); // wrk's clock: first order sent to last answered
    } else {
      intake = sendOneByOne(api, spec, mix, deadline, accepted);
    }
    LoadCheck check = new LoadCheck(api, spec);
    double reviewedSeconds = check.awaitReviews(expectedUnits, start);
    Map<String, Object> checks = check.check(unitsByOrder);

    Map<String, Object> r = new LinkedHashMap<>();
    r.put("at", Instant.now().toString());
    r.put("spec", spec);
    r.put("sent", intake.requests());
    r.put("accepted", intake.ok());
    r.put("acceptedPerSecond", intake.ok() / intake.seconds());
    r.put("reviewedPerSecond", intake.ok() / reviewedSeconds);
    if (!spec.stream()) {
      r.put("latencyMs", Map.of("p50", intake.p50Ms(), "p99", intake.p99Ms(), "max", intake.maxMs()));
    }
    r.put("errors", intake.errors());
    r.putAll(checks);
    boolean settled = true;
    if (spec.ship()) {
      Map<String, Object> settlement = new LoadSettlement(api, spec).run(unitsByOrder, check.states());
      r.putAll(settlement);
      settled = Boolean.TRUE.equals(settlement.get("settled"));
    }
    // every order the generator makes is valid, so any refused one is a failure to report
    r.put("correct", intake.errors().isEmpty() && Boolean.TRUE.equals(checks.get("consistent")) && settled);
    return r;
  }

  /** Records an accepted order: its id and the units it asked of each of its client's SKUs. */
  interface Accepted {
    void accept(OrderMix.Order order);
  }

  private static Accepted accepted(Map<String, Map<String, Long>> unitsByOrder, Map<String, Long> expectedUnits) {
    return order -> {
      unitsByOrder.put(OrderIds.orderId(order.storeId(), order.platformOrderNo()), prefixed(order));
      prefixed(order).forEach((key, units) -> expectedUnits.merge(key, units, Long::sum));
    };
  }

  /** The order's units keyed "client/sku", as the stock entries are. */
  private static Map<String, Long> prefixed(OrderMix.Order order) {
    Map<String, Long> m = new LinkedHashMap<>();
    order.unitsBySku().forEach((sku, units) -> m.put(order.clientId() + "/" + sku, units));
    return m;
  }

  /**
   * Every order made first (outside the clock), then sent once each by wrk's intake script. wrk
   * reports counts, not which orders were refused: all count as sent for the checks, and a refusal
   * shows in the errors (so the run is not correct) and as an order the read-back does not find.
   */
  private static Load.Result sendWithWrk(Load api, LoadSpec spec, OrderMix mix, Accepted accepted) throws Exception {
    List<Load.Request> requests = new ArrayList<>();
    List<OrderMix.Order> orders = new ArrayList<>();
    for (long i = 0; i < spec.orders(); i++) {
      OrderMix.Order o = mix.order(i);
      orders.add(o);
      requests.add(new Load.Request("POST", "/v1/stores/" + o.storeId() + "/orders", o.body()));
    }
    Load.Result result = Wrk.intake("orders (wrk)", api.base(), api.token(), requests, spec.concurrency(),
        new java.util.concurrent.CompletableFuture<Void>()).run();
    orders.forEach(accepted::accept);
    return result;
  }

  private static Load.Result sendOneByOne(Load api, LoadSpec spec, OrderMix mix, long deadline, Accepted accepted) {
    Map<Integer, OrderMix.Order> inFlight = new ConcurrentHashMap<>();
    int count = (int) Math.min(spec.orders(), Integer.MAX_VALUE - 1);
    return api.run("orders", count, deadline, spec.concurrency(), i -> {
      OrderMix.Order o = mix.order(i);
      inFlight.put(i, o);
      return new Load.Request("POST", "/v1/stores/" + o.storeId() + "/orders", o.body());
    }, (i, body) -> accepted.accept(inFlight.remove(i)));
  }
}
