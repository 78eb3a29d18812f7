package dev.emlab.report.html;

import java.util.Locale;

/** A fraction with its 95% interval, written as the report shows it: {@code 24.7% [17.3, 32.3]}. */
record Rate(double value, double low, double high) {
    static String of(Double value, Double low, Double high) {
        return value == null ? "n/a" : new Rate(value, low == null ? value : low, high == null ? value : high).toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * value, 100 * low, 100 * high);
    }
}
