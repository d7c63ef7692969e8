package dev.curio.sample.prometheus;

import java.time.Duration;

/**
 * Grafana's built-in variables for one panel's Prometheus query, computed as Grafana 12 computes
 * them (pkg/promlib: {@code calculatePrometheusInterval}, {@code calculateRateInterval};
 * {@code rangeutil.roundInterval}), plus the dashboard's own {@code instance} and {@code kernel}:
 *
 * <ul>
 *   <li>{@code $__interval} = the time range over the panel's max data points, rounded to Grafana's
 *       steps, but at least the panel's min interval ({@code "interval"} in its JSON) or else the
 *       data source's scrape interval ({@code jsonData.timeInterval}, default 15 s);
 *   <li>{@code $__rate_interval} = max({@code $__interval} + scrape interval, 4 × scrape interval);
 *   <li>{@code $__range} = the time range, in seconds.
 * </ul>
 *
 * @param scrape the data source's scrape interval, the Prometheus job's {@code scrape_interval}
 * @param range the dashboard's time range
 * @param maxDataPoints the panel's width in points (Grafana uses the panel's pixel width)
 */
public record GrafanaVariables(Duration scrape, Duration range, int maxDataPoints, String instance, String kernel) {

    /** {@code $__interval} for a panel whose min interval is {@code panelMin} (null: none). */
    public Duration interval(String panelMin) {
        Duration min = panelMin == null ? scrape : parse(panelMin);
        Duration calculated = round(range.dividedBy(maxDataPoints));
        return calculated.compareTo(min) > 0 ? calculated : min;
    }

    public Duration rateInterval(String panelMin) {
        Duration a = interval(panelMin).plus(scrape);
        Duration b = scrape.multipliedBy(4);
        return a.compareTo(b) > 0 ? a : b;
    }

    /** The query with every variable replaced, as Grafana sends it to Prometheus. */
    public String substitute(String expr, String panelMin) {
        return expr.replace("$__rate_interval", format(rateInterval(panelMin)))
                .replace("$__interval", format(interval(panelMin)))
                .replace("$__range", range.toSeconds() + "s")
                .replace("$instance", instance).replace("$kernel", kernel);
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    static Duration parse(String s) {
        long n = Long.parseLong(s.replaceAll("[a-z]+$", ""));
        return switch (s.replaceAll("^[0-9]+", "")) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("unknown interval " + s);
        };
    }

    /** Grafana's rangeutil.roundInterval. */
    static Duration round(Duration d) {
        long ms = d.toMillis();
        long[][] steps = {{15, 10}, {35, 20}, {75, 50}, {150, 100}, {350, 200}, {750, 500}, {1_500, 1_000},
                {3_500, 2_000}, {7_500, 5_000}, {12_500, 10_000}, {17_500, 15_000}, {25_000, 20_000},
                {45_000, 30_000}, {90_000, 60_000}, {210_000, 120_000}, {450_000, 300_000}, {1_050_000, 600_000},
                {2_100_000, 1_200_000}, {5_400_000, 3_600_000}, {9_000_000, 7_200_000}, {16_200_000, 10_800_000},
                {32_400_000, 21_600_000}, {86_400_000, 43_200_000}};
        for (long[] s : steps) {
            if (ms < s[0]) {
                return Duration.ofMillis(s[1]);
            }
        }
        return Duration.ofDays(1);
    }
}
