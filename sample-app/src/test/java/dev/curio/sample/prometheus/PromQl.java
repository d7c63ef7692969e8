package dev.curio.sample.prometheus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;

/**
 * The test's own evaluation of the few PromQL functions the dashboard uses, from raw samples, as
 * Prometheus 2.x documents them (promql/functions.go: extrapolated {@code rate}/{@code increase},
 * {@code histogram_quantile}'s linear interpolation inside a bucket; aggregations by labels). The
 * dashboard test computes every panel's expected value with it from the samples Prometheus scraped
 * from the application, and compares with what Prometheus answers for the panel's query.
 */
public final class PromQl {

    private PromQl() {}

    public record Sample(long millis, double value) {}

    /** A series' raw samples in a range. */
    public record Raw(Map<String, String> labels, List<Sample> samples) {}

    /** An instant vector element. */
    public record Series(Map<String, String> labels, double value) {}

    /** The instant vector of the newest sample of each series (the selector looked back far enough). */
    public static List<Series> last(List<Raw> raws) {
        return raws.stream().filter(r -> !r.samples().isEmpty())
                .map(r -> new Series(withoutName(r.labels()), r.samples().getLast().value())).toList();
    }

    /** {@code rate(x[range])} (perSecond) or {@code increase(x[range])} at {@code evalMillis}. */
    public static List<Series> rate(List<Raw> raws, long rangeMillis, long evalMillis, boolean perSecond) {
        List<Series> out = new ArrayList<>();
        for (Raw r : raws) {
            List<Sample> s = r.samples();
            if (s.size() < 2) {
                continue; // Prometheus drops a series with fewer than two samples in the window
            }
            double result = s.getLast().value() - s.getFirst().value();
            double lastValue = 0;
            for (Sample x : s) {
                if (x.value() < lastValue) {
                    result += lastValue; // a counter reset
                }
                lastValue = x.value();
            }
            // in integer milliseconds first, then seconds, exactly as Prometheus does
            long rangeStart = evalMillis - rangeMillis;
            double durationToStart = (s.getFirst().millis() - rangeStart) / 1000.0;
            double durationToEnd = (evalMillis - s.getLast().millis()) / 1000.0;
            double sampled = (s.getLast().millis() - s.getFirst().millis()) / 1000.0;
            double average = sampled / (s.size() - 1);
            if (result > 0 && s.getFirst().value() >= 0) {
                double durationToZero = sampled * (s.getFirst().value() / result);
                if (durationToZero < durationToStart) {
                    durationToStart = durationToZero;
                }
            }
            double threshold = average * 1.1;
            double extrapolateTo = sampled;
            extrapolateTo += durationToStart < threshold ? durationToStart : average / 2;
            extrapolateTo += durationToEnd < threshold ? durationToEnd : average / 2;
            double factor = extrapolateTo / sampled;
            if (perSecond) {
                factor /= rangeMillis / 1000.0;
            }
            out.add(new Series(withoutName(r.labels()), result * factor));
        }
        return out;
    }

    /** {@code sum by (labels) (v)}; no labels: {@code sum(v)}. An empty input gives an empty output. */
    public static List<Series> sumBy(List<Series> v, String... by) {
        return aggregate(v, Double::sum, by);
    }

    public static List<Series> maxBy(List<Series> v, String... by) {
        return aggregate(v, Math::max, by);
    }

    public static List<Series> countBy(List<Series> v, String... by) {
        return aggregate(v.stream().map(s -> new Series(s.labels(), 1)).toList(), Double::sum, by);
    }

    private static List<Series> aggregate(List<Series> v, DoubleBinaryOperator op, String... by) {
        Map<Map<String, String>, Double> groups = new LinkedHashMap<>();
        for (Series s : v) {
            Map<String, String> key = new TreeMap<>();
            for (String l : by) {
                if (s.labels().containsKey(l)) {
                    key.put(l, s.labels().get(l));
                }
            }
            groups.merge(key, s.value(), op::applyAsDouble);
        }
        List<Series> out = new ArrayList<>();
        groups.forEach((k, value) -> out.add(new Series(k, value)));
        return out;
    }

    /** {@code v > 0}. */
    public static List<Series> positive(List<Series> v) {
        return v.stream().filter(s -> s.value() > 0).toList();
    }

    /** {@code a / b} for two label-less one-element vectors (as {@code sum(..) / sum(..)}). */
    public static List<Series> divide(List<Series> a, List<Series> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return List.of();
        }
        return List.of(new Series(Map.of(), a.getFirst().value() / b.getFirst().value()));
    }

    /** {@code histogram_quantile(q, v)}: v's series carry {@code le}; grouped by their other labels. */
    public static List<Series> histogramQuantile(double q, List<Series> buckets) {
        Map<Map<String, String>, List<double[]>> groups = new LinkedHashMap<>();
        for (Series s : buckets) {
            Map<String, String> key = new TreeMap<>(s.labels());
            String le = key.remove("le");
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {parseLe(le), s.value()});
        }
        List<Series> out = new ArrayList<>();
        groups.forEach((k, b) -> out.add(new Series(k, bucketQuantile(q, b))));
        return out;
    }

    static double parseLe(String le) {
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }

    private static double bucketQuantile(double q, List<double[]> b) {
        b.sort(Comparator.comparingDouble(x -> x[0]));
        if (b.getLast()[0] != Double.POSITIVE_INFINITY || b.size() < 2) {
            return Double.NaN;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double[] x : b) { // ensureMonotonic
            max = Math.max(max, x[1]);
            x[1] = max;
        }
        double observations = b.getLast()[1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int i = 0;
        while (i < b.size() - 1 && b.get(i)[1] < rank) {
            i++;
        }
        if (i == b.size() - 1) {
            return b.get(b.size() - 2)[0];
        }
        if (i == 0 && b.getFirst()[0] <= 0) {
            return b.getFirst()[0];
        }
        double start = 0;
        double end = b.get(i)[0];
        double count = b.get(i)[1];
        if (i > 0) {
            start = b.get(i - 1)[0];
            count -= b.get(i - 1)[1];
            rank -= b.get(i - 1)[1];
        }
        return start + (end - start) * (rank / count);
    }

    private static Map<String, String> withoutName(Map<String, String> labels) {
        Map<String, String> l = new TreeMap<>(labels);
        l.remove("__name__");
        return l;
    }
}
