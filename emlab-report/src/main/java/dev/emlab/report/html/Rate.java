package dev.emlab.report.html;

import java.util.Locale;

/** A fraction with its 95% interval, written as the report shows it: {@code 24.7% [17.3, 32.3]}. */
record Rate(double value, double low, double high) {
    static String of(Double value, Double low, Double high) {
        return value == null ? "n/a" : new Rate(value, low == null ? value : low, high == null ? value : high).toString();
    }

    /** A mean score on 0..1 (StrongREJECT's harmfulness), as the terminal table shows it: {@code 0.583 [0.500, 0.750]}. */
    static String score(Double value, Double low, Double high) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", value, low == null ? value : low,
                high == null ? value : high);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * value, 100 * low, 100 * high);
    }
}
