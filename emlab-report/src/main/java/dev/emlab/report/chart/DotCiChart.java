package dev.emlab.report.chart;

import java.awt.BasicStroke;
import java.awt.geom.Ellipse2D;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The paper's key figure: categories (questions, groups) along x, one coloured dot with its 95%
 * interval per series (condition), side by side within each category. Values are fractions,
 * shown as percent 0..100.
 */
public final class DotCiChart {
    private DotCiChart() {}

    /**
     * @param series series name (with its n, as the legend shows it) to its points; a point whose
     *               category is not in {@code categories} is left out
     */
    public static JFreeChart create(String title, String yLabel, List<String> categories, Map<String, List<Point>> series) {
        return create(title, yLabel, categories, series, true);
    }

    /**
     * @param percent true to show the fractions as percent 0..100; false for a score that is read
     *                as it is on 0..1 (StrongREJECT's harmfulness is a mean score, not a share)
     */
    public static JFreeChart create(String title, String yLabel, List<String> categories, Map<String, List<Point>> series,
                                    boolean percent) {
        double scale = percent ? 100 : 1;
        Map<String, Integer> slot = new LinkedHashMap<>();
        for (int i = 0; i < categories.size(); i++) {
            slot.put(categories.get(i), i);
        }
        int k = Math.max(1, series.size());
        // dodge the series within a category so their intervals never hide each other
        double step = Math.min(0.8 / k, 0.18);
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        int s = 0;
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            YIntervalSeries ys = new YIntervalSeries(e.getKey(), false, true);
            double offset = (s - (k - 1) / 2.0) * step;
            for (Point p : e.getValue()) {
                Integer x = slot.get(p.x());
                if (x != null) {
                    ys.add(x + offset, scale * p.value(), scale * p.low(), scale * p.high());
                }
            }
            data.addSeries(ys);
            s++;
        }
        SymbolAxis xAxis = new SymbolAxis(null, categories.toArray(new String[0]));
        xAxis.setGridBandsVisible(false);
        xAxis.setRange(-0.6, categories.size() - 0.4);
        // long names turn vertical only when there are enough of them to collide
        int longest = categories.stream().mapToInt(String::length).max().orElse(0);
        boolean crowded = categories.size() > 6 || (categories.size() > 3 && longest > 14);
        xAxis.setVerticalTickLabels(crowded);
        NumberAxis yAxis = percent ? percentAxis(yLabel) : unitAxis(yLabel);

        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(false);
        renderer.setDefaultShapesVisible(true);
        renderer.setCapLength(5);
        renderer.setErrorStroke(new BasicStroke(1.4f));
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        JFreeChart chart = new JFreeChart(title, plot);
        // the theme resets series paints, so the series are styled after it
        PaperStyle.apply(chart);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, PaperStyle.color(i));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        return chart;
    }

    /** A 0..100 axis: a rate is read against the whole scale, never a zoomed one. */
    static NumberAxis percentAxis(String label) {
        NumberAxis y = new NumberAxis(label);
        // a hair beyond 0 and 100, so that dots at the ends are drawn whole rather than cut by the frame
        y.setRange(-2.5, 102.5);
        y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(20));
        return y;
    }

    /** The same whole scale for a score from 0 to 1. */
    static NumberAxis unitAxis(String label) {
        NumberAxis y = new NumberAxis(label);
        y.setRange(-0.025, 1.025);
        y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(0.2));
        return y;
    }
}
