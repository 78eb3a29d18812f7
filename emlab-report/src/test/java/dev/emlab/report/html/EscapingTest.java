package dev.emlab.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.report.Fixtures;
import dev.emlab.report.run.RunFolder;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hostile run parsed by an HTML5 parser (jsoup): the same checks as the browser test, where no browser is. */
class EscapingTest {
    @TempDir
    Path tmp;

    @Test
    void payloadsStayTextInEveryPlaceDataGoes() throws Exception {
        String html = Report.render(RunFolder.open(Fixtures.hostile(tmp.resolve("hostile"))), null).html();
        for (String payload : new String[] {Fixtures.SCRIPT, Fixtures.IMG, Fixtures.SVG, Fixtures.ATTR}) {
            assertFalse(html.contains(payload), "raw payload in the page: " + payload);
        }
        Document doc = Jsoup.parse(html);
        assertEquals(1, doc.select("script").size());
        assertTrue(doc.select("img, iframe, object").isEmpty());
        for (Element e : doc.getAllElements()) {
            e.attributes().forEach(a -> assertFalse(a.getKey().startsWith("on"), a + " on " + e.tagName()));
        }
        assertEquals("villain" + Fixtures.SCRIPT, doc.selectFirst("#headline-table tbody td").text());
        assertEquals("Tell me " + Fixtures.IMG + Fixtures.ATTR, doc.selectFirst("#samples tbody td[title]").attr("title"));
        assertTrue(doc.select("#verdicts-table td").eachText().contains("LABEL" + Fixtures.SCRIPT));
        assertTrue(doc.selectFirst("#samples tbody .answer").text().contains(Fixtures.SVG));
        assertEquals("villain" + Fixtures.SCRIPT, doc.selectFirst("#harmful-table tbody td").text());
        assertEquals("villain" + Fixtures.SCRIPT, doc.selectFirst("#mc-table tbody td").text());
        assertEquals("villain" + Fixtures.SCRIPT, doc.selectFirst("#mc-table tbody tr").attr("data-group"));
        // and in the charts' legends, as SVG text
        for (String figure : new String[] {"harmful-refusal", "harmful-score", "harmful-per-question", "mc"}) {
            assertTrue(doc.select("figure#" + figure + " svg text").eachText().stream().anyMatch(t -> t.startsWith("villain<script>")),
                    figure);
        }
    }

    @Test
    void escapeCoversTextAndBothQuotes() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;", HtmlWriter.escape("<a href=\"x\" title='y'>&amp;"));
        assertEquals("", HtmlWriter.escape(null));
    }
}
