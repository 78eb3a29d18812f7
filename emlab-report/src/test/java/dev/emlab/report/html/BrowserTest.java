package dev.emlab.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.emlab.report.Fixtures;
import dev.emlab.report.run.RunFolder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser: hostile text stays text after Chromium parsed the page and ran
 * its script, and the charts draw. .ci/run installs Debian's chromium; elsewhere without it
 * these tests are skipped with a message.
 */
class BrowserTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void needsChromium() {
        assumeTrue(Chromium.installed(), "Debian's chromium is not installed (apt-get install -y chromium); browser tests skipped");
    }

    @Test
    void hostileTextRendersAsText() throws Exception {
        Path run = Fixtures.hostile(tmp.resolve("hostile"));
        Path page = tmp.resolve("report.html");
        Report.write(RunFolder.open(run), page);
        Path profile = Files.createDirectories(tmp.resolve("profile"));
        Document dom = Jsoup.parse(new Chromium(Chromium.DEBIAN).dumpDom(page, profile));

        // no payload ran: each would have changed the title
        assertEquals("emlab report: hostile", dom.title());
        // and none became an element: the only script is the page's own, no img, no event handler anywhere
        assertEquals(1, dom.select("script").size());
        assertTrue(dom.select("img").isEmpty(), "an injected img element");
        for (Element e : dom.getAllElements()) {
            e.attributes().forEach(a -> assertFalse(a.getKey().startsWith("on"), "event handler " + a + " on " + e.tagName()));
        }
        // the payloads are there, as text, where the data goes
        Element headline = dom.selectFirst("#headline-table tbody tr td");
        assertEquals("villain" + Fixtures.SCRIPT, headline.text());
        Element answer = dom.selectFirst("#samples tbody tr .answer");
        assertTrue(answer.text().contains(Fixtures.SCRIPT) && answer.text().contains(Fixtures.IMG)
                && answer.text().contains(Fixtures.SVG), answer.text());
        Element question = dom.selectFirst("#samples tbody tr td[title]");
        assertEquals("Tell me " + Fixtures.IMG + Fixtures.ATTR, question.attr("title"));
        assertTrue(dom.select("#filter-group option").eachText().contains("villain" + Fixtures.SCRIPT));
        assertEquals("villain" + Fixtures.SCRIPT, dom.selectFirst("#harmful-table tbody tr td").text());
        assertEquals("villain" + Fixtures.SCRIPT, dom.selectFirst("#mc-table tbody tr td").text());
        // the filter script ran (it fills the count) and treated the data as text
        assertEquals("4 of 4 shown", dom.getElementById("filter-count").text());
        // the judge name drawn in the charts is SVG text, not markup
        assertTrue(dom.select("svg text").eachText().stream().anyMatch(t -> t.contains("villain<script>")),
                "group name as chart legend text");
        assertTrue(dom.select("svg script, svg [onload]").isEmpty());
    }

    @Test
    void screenshotShowsTheCharts() throws Exception {
        Path page = tmp.resolve("report.html");
        Report.write(RunFolder.open(Fixtures.stored("eval-scripted")), page);
        Path png = tmp.resolve("shot.png");
        Path profile = Files.createDirectories(tmp.resolve("profile"));
        new Chromium(Chromium.DEBIAN).screenshot(page, profile, png, 1200, 2000);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1200, img.getWidth());
        assertEquals(2000, img.getHeight());
        // the chart region: the rows where the first series' colour (0072B2) appears; the dots and error bars
        // of the per-question chart span most of its height, so the band must be tall, not one stray line
        int top = -1;
        int bottom = -1;
        for (int y = 0; y < img.getHeight(); y++) {
            if (countNear(img, 0x0072B2, y) > 0) {
                top = top < 0 ? y : top;
                bottom = y;
            }
        }
        assertTrue(top >= 0 && bottom - top > 120, "no chart drawn in the series colour: rows " + top + ".." + bottom);
        // a blank region has (near) zero variance; dots, bars, grid and labels give a large one
        double variance = variance(img, 20, top, 1100, bottom - top);
        assertTrue(variance > 100, "chart region looks blank: variance " + variance);
        // the second series (orange D55E00) is drawn too
        int orange = 0;
        for (int y = top; y <= bottom; y++) {
            orange += countNear(img, 0xD55E00, y);
        }
        assertTrue(orange > 20, "second series missing: " + orange + " pixels");
    }

    private static double variance(BufferedImage img, int x0, int y0, int w, int h) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int rgb = img.getRGB(x, y);
                double v = ((rgb >> 16) & 255) * 0.299 + ((rgb >> 8) & 255) * 0.587 + (rgb & 255) * 0.114;
                sum += v;
                sq += v * v;
                n++;
            }
        }
        double mean = sum / n;
        return sq / n - mean * mean;
    }

    /** Pixels in row {@code y} within a small distance of {@code color}. */
    private static int countNear(BufferedImage img, int color, int y) {
        int count = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            int rgb = img.getRGB(x, y);
            int d = Math.abs(((rgb >> 16) & 255) - ((color >> 16) & 255)) + Math.abs(((rgb >> 8) & 255) - ((color >> 8) & 255))
                    + Math.abs((rgb & 255) - (color & 255));
            count += d < 40 ? 1 : 0;
        }
        return count;
    }
}
