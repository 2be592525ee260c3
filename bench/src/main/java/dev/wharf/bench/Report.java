package dev.wharf.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** docs/benchmarks.md's generated part and the chart. */
final class Report {
  private Report() {}

  private static double rate(List<Baselines.Rate> baselines, String prefix) {
    return baselines.stream().filter(b -> b.name().startsWith(prefix)).mapToDouble(Baselines.Rate::perSecond).findFirst().orElse(0);
  }

  private static Workloads.Outcome outcome(List<Workloads.Outcome> outcomes, String name) {
    return outcomes.stream().filter(o -> o.workload().equals(name)).findFirst().orElseThrow();
  }

  static Map<String, Object> ratios(List<Workloads.Outcome> outcomes, List<Baselines.Rate> baselines, Bench.Size size) {
    Map<String, Object> r = new LinkedHashMap<>();
    double pg = rate(baselines, "PostgreSQL");
    if (pg > 0) {
      r.put("W2 reservations per second, Wharf / PostgreSQL", outcome(outcomes, "W2").completedPerSecond() / pg);
    }
    r.put("W4 reads per second, Wharf / trivial HTTP route",
        outcome(outcomes, "W4").completedPerSecond() / rate(baselines, "trivial"));
    // W1 writes about 3 events per order (ingested + review started, allocated) plus one per reserved line
    Workloads.Outcome w1 = outcome(outcomes, "W1");
    double eventsPerSecond = w1.completedPerSecond() * (3 + ((Number) w1.checks().get("unitsOrdered")).doubleValue() / size.w1Orders());
    r.put("W1 journal events per second (estimated)", eventsPerSecond);
    r.put("W1 journal events per second / raw H2 batched inserts", eventsPerSecond / rate(baselines, "raw"));
    return r;
  }

  static void write(Path out, String size, Map<String, Object> results, List<Workloads.Outcome> outcomes,
                    List<Baselines.Rate> baselines) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("## Latest run (").append(size).append(", ").append(results.get("at")).append(")\n\n");
    md.append("Machine: ").append(results.get("machine")).append("\n\n");
    md.append("| workload | requests | accepted/s | p50 ms | p99 ms | completed/s | correct | checks |\n");
    md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Workloads.Outcome o : outcomes) {
      md.append(String.format("| %s | %d | %.0f | %.1f | %.1f | %.0f | %s | %s |%n", o.workload(), o.load().requests(),
          o.load().perSecond(), o.load().p50Ms(), o.load().p99Ms(), o.completedPerSecond(), o.correct(),
          o.checks().toString().replace("|", "/")));
    }
    md.append("\nW5 recovery: ").append(results.get("W5")).append("\n\n");
    md.append("| baseline | operations | per second | p50 ms | p99 ms | checks |\n| --- | --- | --- | --- | --- | --- |\n");
    for (Baselines.Rate b : baselines) {
      md.append(String.format("| %s | %d | %.0f | %.1f | %.1f | %s |%n", b.name(), b.operations(), b.perSecond(),
          b.p50Ms(), b.p99Ms(), b.checks()));
    }
    md.append("\n| ratio | value |\n| --- | --- |\n");
    ((Map<?, ?>) results.get("ratios")).forEach((k, v) ->
        md.append(String.format("| %s | %.2f |%n", k, ((Number) v).doubleValue())));
    Path doc = out.resolve("benchmarks.md");
    String marker = "<!-- generated below by deploy/bin/bench -->";
    String head = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n" + marker + "\n";
    int at = head.indexOf(marker);
    head = at < 0 ? head + "\n" + marker + "\n" : head.substring(0, at + marker.length()) + "\n";
    Files.writeString(doc, head + "\n" + md);

    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    outcomes.forEach(o -> {
      names.add(o.workload());
      values.add(o.completedPerSecond());
    });
    baselines.forEach(b -> {
      names.add(b.name().split(",")[0].replace("trivial Pekko HTTP route", "HTTP ceiling").replace("raw H2 journal inserts (batches of 400)", "raw H2 rows"));
      values.add(b.perSecond());
    });
    CategoryChart chart = new CategoryChartBuilder().width(900).height(450)
        .title("Wharf " + size + " run: operations per second (2 cores)").xAxisTitle("").yAxisTitle("per second").build();
    chart.getStyler().setLegendVisible(false);
    chart.addSeries("throughput", names, values);
    BitmapEncoder.saveBitmap(chart, out.resolve("bench-chart").toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
