package dev.emlab.report.chart;

import java.awt.BasicStroke;
import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** Training dynamics: one line per condition over training steps, its 95% interval as a shaded band. */
public final class BandChart {
    private BandChart() {}

    /** @param series series name to points whose {@code x} is the training step */
    public static JFreeChart create(String title, String yLabel, Map<String, List<Point>> series) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            YIntervalSeries ys = new YIntervalSeries(e.getKey(), true, false);
            for (Point p : e.getValue()) {
                ys.add(Double.parseDouble(p.x()), 100 * p.value(), 100 * p.low(), 100 * p.high());
            }
            data.addSeries(ys);
        }
        NumberAxis x = new NumberAxis("training step");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(true);
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.18f);
        XYPlot plot = new XYPlot(data, x, DotCiChart.percentAxis(yLabel), renderer);
        JFreeChart chart = new JFreeChart(title, plot);
        // the theme resets series paints, so the series are styled after it
        PaperStyle.apply(chart);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, PaperStyle.color(i));
            renderer.setSeriesFillPaint(i, PaperStyle.color(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        return chart;
    }
}
