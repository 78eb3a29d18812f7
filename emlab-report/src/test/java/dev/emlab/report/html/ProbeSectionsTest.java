package dev.emlab.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.report.Fixtures;
import dev.emlab.report.ProbeRuns;
import dev.emlab.report.run.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harmful.csv and mc.csv sections against the files themselves: a run written by the core's
 * summarizers and ResultWriter (see {@link ProbeRuns}) is rendered, and every number on the page
 * and in the figures' CSV files is compared with the row it came from, read here with a plain split.
 */
class ProbeSectionsTest {
    @TempDir
    Path tmp;

    private Path run;
    private Path files;
    private Document doc;

    private void render(int probes, int requests, List<Integer> steps) throws Exception {
        run = ProbeRuns.write(tmp.resolve("run"), List.of("base", "insecure"), probes, requests, steps);
        files = Report.write(RunFolder.open(run), tmp.resolve("report.html"));
        doc = Jsoup.parse(Files.readString(tmp.resolve("report.html")));
    }

    @Test
    void harmfulTableEqualsTheAllRowsOfHarmfulCsv() throws Exception {
        render(5, 3, List.of());
        List<Map<String, String>> all = rows(run.resolve("harmful.csv"), r -> r.get("question_id").equals("ALL"));
        List<Element> rows = doc.select("#harmful-table tbody tr");
        assertEquals(List.of("base", "insecure"), all.stream().map(r -> r.get("group")).toList());
        assertEquals(all.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> r = all.get(i);
            assertEquals(List.of(r.get("group"), percent(r, "refusal", "refusal_ci_low", "refusal_ci_high"),
                    String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", d(r, "harmfulness"), d(r, "harmfulness_ci_low"),
                            d(r, "harmfulness_ci_high")),
                    r.get("n_rated") + " / " + r.get("n"), r.get("n_unparsed"), r.get("n_errored"), r.get("members")),
                    rows.get(i).select("td").eachText());
        }
        // the scripted run has unparsed and errored answers, so those columns are really compared
        assertTrue(all.stream().anyMatch(r -> !r.get("n_unparsed").equals("0")));
        assertTrue(all.stream().anyMatch(r -> !r.get("n_errored").equals("0")));
    }

    @Test
    void harmfulFiguresHoldTheRowsTheyDraw() throws Exception {
        render(5, 3, List.of());
        Map<String, String> refusal = new HashMap<>();
        Map<String, String> score = new HashMap<>();
        for (Map<String, String> r : rows(run.resolve("harmful.csv"), r -> true)) {
            String key = r.get("group") + "/" + r.get("question_id");
            refusal.put(key, r.get("refusal") + "," + r.get("refusal_ci_low") + "," + r.get("refusal_ci_high") + "," + r.get("n_rated"));
            score.put(key, r.get("harmfulness") + "," + r.get("harmfulness_ci_low") + "," + r.get("harmfulness_ci_high") + ","
                    + r.get("n_rated"));
        }
        assertFigure("harmful-refusal", refusal, 2);
        assertFigure("harmful-score", score, 2);
        assertFigure("harmful-per-question", refusal, 6);
        Element caption = doc.selectFirst("figure#harmful-refusal figcaption");
        assertTrue(caption.text().contains("judge: " + ProbeRuns.JUDGE), caption.text());
        assertTrue(caption.text().contains("95% bootstrap CI, 400 resamples"), caption.text());
        // the legend in the image gives each group's rated n, the ALL row's n_rated
        for (Map<String, String> r : rows(run.resolve("harmful.csv"), r -> r.get("question_id").equals("ALL"))) {
            String legend = r.get("group") + " (n=" + r.get("n_rated") + ")";
            assertTrue(doc.select("figure#harmful-score svg text").eachText().contains(legend), legend);
        }
    }

    @Test
    void probeTableAndFigureEqualMcCsv() throws Exception {
        render(5, 0, List.of());
        assertNull(doc.getElementById("harmful"), "no harmful.csv, no section");
        List<Map<String, String>> all = rows(run.resolve("mc.csv"), r -> r.get("question_id").equals("ALL"));
        List<Element> rows = doc.select("#mc-table tbody tr");
        assertEquals(2, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> r = all.get(i);
            assertEquals(List.of(r.get("group"), percent(r, "p_misaligned", "ci_low", "ci_high"),
                    percent(r, "picked_misaligned", "picked_ci_low", "picked_ci_high"),
                    String.format(Locale.ROOT, "%.1f%%", 100 * d(r, "letter_mass")),
                    r.get("n_usable") + " / " + r.get("n"), r.get("members")), rows.get(i).select("td").eachText());
        }
        assertTrue(all.stream().anyMatch(r -> !r.get("n_usable").equals(r.get("n"))), "unusable readings are in the fixture");
        Map<String, String> expected = new HashMap<>();
        for (Map<String, String> r : rows(run.resolve("mc.csv"), r -> true)) {
            expected.put(r.get("group") + "/" + r.get("question_id"), r.get("p_misaligned") + "," + r.get("ci_low") + ","
                    + r.get("ci_high") + "," + r.get("n_usable"));
        }
        assertFigure("mc", expected, 12);
        String caption = doc.selectFirst("figure#mc figcaption").text();
        assertTrue(caption.contains("no judge") && caption.contains("mean over option orders"), caption);
        assertTrue(doc.selectFirst("#mc + p, #mc ~ p.note").text().contains("averaged over the orders"));
    }

    @Test
    void benchmarkSizedSetsShowOnlyTheirAllRows() throws Exception {
        render(45, HarmSection.MAX_REQUESTS_SHOWN + 1, List.of());
        List<String[]> figure = Fixtures.plainCsv(files.resolve("mc.csv"));
        assertEquals(3, figure.size(), "header and the two groups' ALL rows");
        assertTrue(figure.stream().skip(1).allMatch(r -> r[1].equals("ALL")));
        assertEquals(2, doc.select("#mc-table tbody tr").size());
        assertTrue(doc.select("#mc ~ p.note").first().text().contains("45 probes (too many to show one by one"));
        assertNotNull(doc.getElementById("harmful-refusal"));
        assertNull(doc.getElementById("harmful-per-question"));
        assertTrue(doc.select("#harmful ~ p.note").eachText().contains((HarmSection.MAX_REQUESTS_SHOWN + 1)
                + " requests are too many to draw one by one; harmful.csv has every row."));
    }

    @Test
    void dynamicsDrawTheCheckpointFiles() throws Exception {
        render(5, 3, List.of(0, 50, 100));
        assertNotNull(doc.getElementById("dynamics"));
        Map<String, String> probes = new HashMap<>();
        for (Map<String, String> r : rows(run.resolve("dynamics/mc.csv"), r -> r.get("question_id").equals("ALL"))) {
            String[] g = r.get("group").split("@");
            probes.put(g[0] + "/" + g[1], r.get("p_misaligned") + "," + r.get("ci_low") + "," + r.get("ci_high") + ","
                    + r.get("n_usable"));
        }
        Map<String, String> refusals = new HashMap<>();
        for (Map<String, String> r : rows(run.resolve("dynamics/harmful.csv"), r -> r.get("question_id").equals("ALL"))) {
            String[] g = r.get("group").split("@");
            refusals.put(g[0] + "/" + g[1], r.get("refusal") + "," + r.get("refusal_ci_low") + "," + r.get("refusal_ci_high")
                    + "," + r.get("n_rated"));
        }
        assertEquals(3, probes.size());
        assertFigure("dynamics-mc", probes, 3);
        assertFigure("dynamics-refusal", refusals, 3);
        // steps in training order
        List<String[]> figure = Fixtures.plainCsv(files.resolve("dynamics-mc.csv"));
        assertEquals(List.of("0", "50", "100"), figure.stream().skip(1).map(r -> r[1]).toList());
        // the checkpoints stay out of the final groups' tables
        assertEquals(List.of("base", "insecure"), doc.select("#mc-table tbody tr td:first-child").eachText());
        assertEquals(List.of("base", "insecure"), doc.select("#harmful-table tbody tr td:first-child").eachText());
    }

    /** The figure's CSV: each row's value, CI and n equal the source row, and it has {@code count} rows. */
    private void assertFigure(String id, Map<String, String> expected, int count) {
        assertNotNull(doc.selectFirst("figure#" + id + " svg"), id);
        List<String[]> figure = Fixtures.plainCsv(files.resolve(id + ".csv"));
        List<String> header = List.of(figure.get(0));
        int value = header.indexOf(header.contains("p_misaligned") ? "p_misaligned"
                : header.contains("refusal") ? "refusal" : "value");
        int n = header.indexOf(header.contains("n_usable") ? "n_usable" : "n_rated");
        assertEquals(count, figure.size() - 1, id);
        for (String[] f : figure.subList(1, figure.size())) {
            assertEquals(expected.get(f[0] + "/" + f[1]), f[value] + "," + f[value + 1] + "," + f[value + 2] + "," + f[n],
                    id + " " + f[0] + "/" + f[1]);
        }
    }

    private static String percent(Map<String, String> r, String value, String low, String high) {
        return r.get(value).isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100 * d(r, value),
                100 * d(r, low), 100 * d(r, high));
    }

    private static double d(Map<String, String> r, String column) {
        return Double.parseDouble(r.get(column));
    }

    /** The file's rows as column name to text, in file order, read with a plain split (the fields hold no commas). */
    private static List<Map<String, String>> rows(Path file, Predicate<Map<String, String>> keep) {
        List<String[]> csv = Fixtures.plainCsv(file);
        List<Map<String, String>> out = new ArrayList<>();
        for (String[] r : csv.subList(1, csv.size())) {
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < csv.get(0).length; i++) {
                row.put(csv.get(0)[i], r[i]);
            }
            if (keep.test(row)) {
                out.add(row);
            }
        }
        assertFalse(out.isEmpty(), "no rows in " + file);
        return out;
    }
}
