package dev.emlab.report.chart;

/**
 * One estimate to plot: a value with its 95% interval, as fractions 0..1, and the count behind it.
 *
 * @param x the category (a question, a group) or, for lines, the training step as text
 */
public record Point(String x, double value, double low, double high, int n) {
    public Point {
        // a percentile bootstrap interval need not hold the point estimate, so only the order is checked
        if (!(low <= high)) {
            throw new IllegalArgumentException("interval [" + low + ", " + high + "] is reversed at " + x);
        }
    }
}
