package dev.emlab.report.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;

/** The look of every figure: white background, light grid, sans-serif text, colour-blind-safe colours, no gradients. */
final class PaperStyle {
    /** The Okabe-Ito palette, readable by people with the common colour-vision deficiencies. */
    static final Color[] COLORS = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442)};

    private static final StandardChartTheme THEME = theme();

    private PaperStyle() {}

    static Color color(int series) {
        return COLORS[series % COLORS.length];
    }

    private static StandardChartTheme theme() {
        StandardChartTheme t = new StandardChartTheme("emlab paper");
        // DejaVu/Liberation come with the JDK's font setup on Debian; "SansSerif" maps to whichever is there
        t.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        t.setLargeFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        t.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        t.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        t.setChartBackgroundPaint(Color.WHITE);
        t.setPlotBackgroundPaint(Color.WHITE);
        t.setDomainGridlinePaint(new Color(0xE3E3E3));
        t.setRangeGridlinePaint(new Color(0xD0D0D0));
        t.setPlotOutlinePaint(new Color(0x808080));
        t.setAxisLabelPaint(Color.BLACK);
        t.setTickLabelPaint(new Color(0x222222));
        t.setLegendBackgroundPaint(Color.WHITE);
        t.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        t.setXYBarPainter(new StandardXYBarPainter());
        t.setShadowVisible(false);
        return t;
    }

    static void apply(JFreeChart chart) {
        THEME.apply(chart);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new org.jfree.chart.ui.RectangleInsets(8, 8, 8, 16));
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setFrame(BlockBorder.NONE);
            legend.setPosition(RectangleEdge.TOP);
        }
        if (chart.getPlot() instanceof XYPlot plot) {
            plot.setDomainGridlinesVisible(false);
            plot.setRangeGridlineStroke(new BasicStroke(0.6f));
            plot.setOutlineVisible(false);
            plot.setAxisOffset(new org.jfree.chart.ui.RectangleInsets(4, 4, 4, 4));
        }
    }
}
