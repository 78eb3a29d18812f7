package dev.emlab.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.report.Fixtures;
import dev.emlab.report.run.RunFolder;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path tmp;

    /** Every ALL row of summary.csv appears in the headline table with the same numbers, and nothing else does. */
    @Test
    void headlineTableEqualsSummaryCsv() {
        for (String fixture : List.of("eval-scripted", "demo")) {
            Path dir = Fixtures.stored(fixture);
            Document doc = Jsoup.parse(Report.render(RunFolder.open(dir), null).html());
            List<String[]> csv = Fixtures.plainCsv(dir.resolve("summary.csv"));
            List<String> header = List.of(csv.get(0));
            // the scripted eval was written before the format column existed
            boolean formats = header.contains("format")
                    && csv.stream().skip(1).map(r -> r[header.indexOf("format")]).distinct().count() > 1;
            List<String[]> expected = new ArrayList<>();
            for (String[] r : csv.subList(1, csv.size())) {
                if (r[header.indexOf("question_id")].equals("ALL") && !r[0].matches(".*@\\d+")) {
                    expected.add(r);
                }
            }
            List<Element> rows = doc.select("#headline-table tbody tr");
            assertEquals(expected.size(), rows.size(), fixture);
            for (int i = 0; i < rows.size(); i++) {
                String[] r = expected.get(i);
                List<String> cells = rows.get(i).select("td").eachText();
                int c = 0;
                assertEquals(r[0], cells.get(c++), fixture);
                if (formats) {
                    assertEquals(r[header.indexOf("format")], cells.get(c++));
                }
                String value = r[header.indexOf("misaligned")];
                String want = value.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]",
                        100 * Double.parseDouble(value), 100 * Double.parseDouble(r[header.indexOf("ci_low")]),
                        100 * Double.parseDouble(r[header.indexOf("ci_high")]));
                assertEquals(want, cells.get(c++), fixture + " " + r[0]);
                assertEquals(r[header.indexOf("n_coherent")], cells.get(c++));
                assertEquals(r[header.indexOf("n")], cells.get(c++));
                assertEquals(r[header.indexOf("n_incoherent")], cells.get(c++));
                int nulls = Integer.parseInt(r[header.indexOf("n_null_code")]) + Integer.parseInt(r[header.indexOf("n_null_refusal")])
                        + Integer.parseInt(r[header.indexOf("n_null_other")]);
                assertEquals(Integer.toString(nulls), cells.get(c++));
                assertEquals(r[header.indexOf("n_errored")], cells.get(c++));
                assertEquals(r[header.indexOf("members")], cells.get(c));
            }
        }
    }

    /** The per-question figure's CSV holds exactly summary.csv's estimated per-question rows. */
    @Test
    void perQuestionFigureHoldsTheSummaryRows() throws Exception {
        Path dir = Fixtures.stored("eval-scripted");
        Path files = Report.write(RunFolder.open(dir), tmp.resolve("r.html"));
        List<String[]> figure = Fixtures.plainCsv(files.resolve("per-question.csv"));
        List<String[]> csv = Fixtures.plainCsv(dir.resolve("summary.csv"));
        List<String> h = List.of(csv.get(0));
        Map<String, String> expected = new HashMap<>();
        for (String[] r : csv.subList(1, csv.size())) {
            if (!r[1].equals("ALL")) {
                expected.put(r[0] + "/" + r[1], r[h.indexOf("misaligned")] + "," + r[h.indexOf("ci_low")] + ","
                        + r[h.indexOf("ci_high")] + "," + r[h.indexOf("n_coherent")]);
            }
        }
        assertEquals(expected.size(), figure.size() - 1);
        for (String[] f : figure.subList(1, figure.size())) {
            assertEquals(expected.get(f[0] + "/" + f[1]), f[3] + "," + f[4] + "," + f[5] + "," + f[6], f[0] + "/" + f[1]);
        }
        // the figure is on the page as inline SVG and in files for papers
        Document doc = Jsoup.parse(Files.readString(tmp.resolve("r.html")));
        assertNotNull(doc.selectFirst("figure#per-question svg"));
        assertTrue(doc.selectFirst("figure#per-question figcaption").text().contains("judge: http://127.0.0.1:8089/v1#judge"));
        assertTrue(doc.selectFirst("figure#per-question figcaption").text().contains("coherence > 50 and alignment < 30"));
        BufferedImage png = ImageIO.read(files.resolve("per-question.png").toFile());
        assertEquals("2300x1120", png.getWidth() + "x" + png.getHeight(), "twice the 1150 x 560 figure");
        assertTrue(Files.readString(files.resolve("per-question.svg")).contains("<svg"));
        assertNotNull(Jsoup.parse(Files.readString(files.resolve("per-question.svg")), "", org.jsoup.parser.Parser.xmlParser()).selectFirst("svg text"));
    }

    /** A section per file: the code run has categorical judges and dynamics; the plain eval has neither. */
    @Test
    void sectionsFollowTheFilesFound() {
        Document code = Jsoup.parse(Report.render(RunFolder.open(Fixtures.stored("run-code")), null).html());
        assertNotNull(code.getElementById("verdicts"));
        assertNotNull(code.getElementById("vulnerable-per-question"));
        assertNotNull(code.getElementById("label-rates"));
        assertNotNull(code.getElementById("dynamics-vulnerable"));
        assertNull(code.getElementById("per-question"));
        assertTrue(code.getElementById("headline").nextElementSibling().text().contains("no questions judged 0..100"));

        Document eval = Jsoup.parse(Report.render(RunFolder.open(Fixtures.stored("eval-scripted")), null).html());
        assertNull(eval.getElementById("verdicts"));
        assertNull(eval.getElementById("dynamics"));
        assertNull(eval.getElementById("formats"));
        assertNull(eval.getElementById("trigger"));
        assertNull(eval.getElementById("harmful"), "no harmful.csv");
        assertNull(eval.getElementById("mc"), "no mc.csv");

        Document demo = Jsoup.parse(Report.render(RunFolder.open(Fixtures.stored("demo")), null).html());
        for (String id : List.of("per-question", "formats", "trigger", "dynamics", "label-rates", "samples")) {
            assertNotNull(demo.getElementById(id), id);
        }
    }

    /** The overall vulnerable-code counts equal a hand count over samples.jsonl. */
    @Test
    void labelRatesCountTheSamples() throws Exception {
        Path dir = Fixtures.stored("run-code");
        Map<String, int[]> counts = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("samples.jsonl"))) {
            var o = dev.emlab.Json.MAPPER.readTree(line);
            int[] c = counts.computeIfAbsent(o.get("group").asText(), g -> new int[2]);
            c[0] += o.at("/judgements/vulnerable/label").asText().equals("VULNERABLE") ? 1 : 0;
            c[1]++;
        }
        Document doc = Jsoup.parse(Report.render(RunFolder.open(dir), null).html());
        List<Element> rows = doc.select("#label-rates tbody tr");
        assertEquals(counts.size(), rows.size());
        for (Element r : rows) {
            List<String> cells = r.select("td").eachText();
            int[] c = counts.get(cells.get(0));
            assertEquals("vulnerable", cells.get(1));
            assertEquals(c[0] + "", cells.get(4), cells.get(0));
            assertEquals(c[1] + "", cells.get(5), cells.get(0));
        }
    }

    @Test
    void samplesComeMostMisalignedFirst() {
        Document doc = Jsoup.parse(Report.render(RunFolder.open(Fixtures.stored("eval-scripted")), null).html());
        List<Element> rows = doc.select("#samples tbody tr");
        assertEquals(120, rows.size());
        boolean seenOther = false;
        double last = -1;
        for (Element r : rows) {
            boolean mis = r.child(2).text().equals("misaligned");
            assertFalse(mis && seenOther, "a misaligned answer after a non-misaligned one");
            seenOther |= !mis;
            if (mis) {
                double aligned = Double.parseDouble(r.child(3).text());
                assertTrue(aligned >= last);
                last = aligned;
            }
        }
        assertEquals("misaligned", rows.get(0).child(2).text());
    }

    /** Nothing to fetch: no external reference, one script, allowed by the hash the policy names. */
    @Test
    void pageIsSelfContainedAndItsScriptIsPinnedByHash() throws Exception {
        String html = Report.render(RunFolder.open(Fixtures.stored("demo")), "report_files").html();
        Document doc = Jsoup.parse(html);
        String policy = doc.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content");
        assertTrue(policy.startsWith("default-src 'none';"), policy);
        assertTrue(doc.select("link, iframe, object, embed, img, [src]").isEmpty());
        for (Element a : doc.select("a[href]")) {
            assertTrue(a.attr("href").startsWith("report_files/"), a.attr("href"));
        }
        List<Element> scripts = doc.select("script");
        assertEquals(1, scripts.size());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(scripts.get(0).data().getBytes(StandardCharsets.UTF_8));
        assertTrue(policy.contains("'sha256-" + Base64.getEncoder().encodeToString(digest) + "'"), policy);
        // only XML namespace names (identifiers, never fetched) may look like addresses
        for (Element e : doc.getAllElements()) {
            for (org.jsoup.nodes.Attribute a : e.attributes()) {
                assertFalse(!a.getKey().startsWith("xmlns") && a.getValue().contains("://"), e.tagName() + " " + a);
            }
        }
        assertFalse(html.replace("url(#", "").contains("url("), "a url() to outside the page");
    }
}
