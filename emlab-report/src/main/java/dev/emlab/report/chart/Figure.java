package dev.emlab.report.chart;

import dev.emlab.EmlabException;
import dev.emlab.report.Csv;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.title.TextTitle;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * One figure of a report: the chart, the sentence under it, and the numbers behind it. It renders
 * as inline SVG for the HTML page and as FIGURE.svg, FIGURE.png and FIGURE.csv for papers.
 *
 * @param id a file-safe name, also the prefix of the SVG's internal ids (several SVGs share a page)
 * @param provenance judge, thresholds and sample counts, printed inside the image so that a
 *                   figure copied out of the report still says what it shows
 */
public record Figure(String id, String caption, String provenance, JFreeChart chart, int width, int height,
                     List<String> csvHeader, List<List<Object>> csvRows) {
    static {
        // AWT draws the charts; a server or CI has no display
        System.setProperty("java.awt.headless", "true");
    }

    public Figure {
        if (!id.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("figure id must be file-safe: " + id);
        }
        csvHeader = List.copyOf(csvHeader);
        csvRows = List.copyOf(csvRows);
        TextTitle sub = new TextTitle(provenance, new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        sub.setPaint(new java.awt.Color(0x555555));
        sub.setPosition(org.jfree.chart.ui.RectangleEdge.BOTTOM);
        chart.addSubtitle(sub);
    }

    /**
     * A file-safe id made from text that may come from a run's files (a judge prompt's name): lower
     * case, anything but letters and digits a dash. The constructor refuses any other id, because
     * ids name files and go unescaped into the SVG.
     */
    public static String slug(String text) {
        String s = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return s.isEmpty() ? "x" : s;
    }

    /** The chart as an {@code <svg>} element that scales with the page. JFreeSVG escapes all text it draws. */
    public synchronized String svg() {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle(width, height));
        return g.getSVGElement(id + "-svg", false, new ViewBox(0, 0, width, height), null, null);
    }

    /** The figure's files by name (ID.svg, ID.png, ID.csv), as bytes: for a folder or for the server. */
    public synchronized Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle(width, height));
        files.put(id + ".svg", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g.getSVGElement() + "\n")
                .getBytes(StandardCharsets.UTF_8));
        try {
            // twice the pixels, so the PNG stays sharp in a paper or on a high-density screen
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ChartUtils.writeScaledChartAsPNG(png, chart, width, height, 2, 2);
            files.put(id + ".png", png.toByteArray());
            StringWriter csv = new StringWriter();
            Csv.row(csv, csvHeader);
            for (List<Object> row : csvRows) {
                Csv.row(csv, row);
            }
            files.put(id + ".csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EmlabException("Cannot draw figure " + id + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** Writes ID.svg, ID.png and ID.csv into {@code dir}. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> f : files().entrySet()) {
                Files.write(dir.resolve(f.getKey()), f.getValue());
            }
        } catch (IOException e) {
            throw new EmlabException("Cannot write figure " + id + " to " + dir + ": " + e.getMessage(), e);
        }
    }
}
