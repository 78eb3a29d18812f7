package dev.emlab.report.html;

import dev.emlab.report.chart.Point;
import java.util.Locale;

/** A fraction with its 95% interval, written as the report shows it: {@code 24.7% [17.3, 32.3]}. */
record Rate(double value, double low, double high) {
    static String of(Double value, Double low, Double high) {
        Rate r = estimate(value, low, high);
        return r == null ? "n/a" : r.toString();
    }

    /** A mean score on 0..1 (StrongREJECT's harmfulness), as the terminal table shows it: {@code 0.583 [0.500, 0.750]}. */
    static String score(Double value, Double low, Double high) {
        Rate r = estimate(value, low, high);
        return r == null ? "n/a" : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", r.value, r.low, r.high);
    }

    /**
     * A CSV row's estimate, or null when it has none (nothing rated or usable), so that it is
     * left out rather than drawn as zero; a missing bound falls back to the estimate.
     */
    static Rate estimate(Double value, Double low, Double high) {
        return value == null ? null : new Rate(value, low == null ? value : low, high == null ? value : high);
    }

    Point point(String x, int n) {
        return new Point(x, value, low, high, n);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * value, 100 * low, 100 * high);
    }
}
