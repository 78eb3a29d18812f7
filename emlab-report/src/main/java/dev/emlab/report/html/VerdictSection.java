package dev.emlab.report.html;

import dev.emlab.report.chart.DotCiChart;
import dev.emlab.report.chart.Figure;
import dev.emlab.report.chart.Point;
import dev.emlab.report.run.RunFolder;
import dev.emlab.report.run.VerdictLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Categorical judges from verdicts.csv: the vulnerable-code rate and the other flagged labels per
 * group (overall, from samples.jsonl), per question, and every label's share in a table.
 */
final class VerdictSection implements Section {
    @Override
    public String file() {
        return RunFolder.VERDICTS;
    }

    @Override
    public void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        List<VerdictLine> lines = run.verdicts().stream().filter(v -> !GroupName.parse(v.row().group()).isCheckpoint()).toList();
        if (lines.isEmpty()) {
            return;
        }
        html.element("h2", "Categorical judges: vulnerable code, compliance, lies and other labels", "id", "verdicts");
        Set<String> groups = new LinkedHashSet<>();
        lines.forEach(v -> groups.add(v.row().group()));
        overall(run, provenance, html, figures, groups);
        for (String prompt : LabelRates.FLAGGED.keySet().stream().sorted().toList()) {
            perQuestion(prompt, lines, groups, provenance, html, figures);
        }
        table(lines, html);
    }

    private static void overall(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures, Set<String> groups) {
        List<LabelRates.Row> rates = LabelRates.of(run.samples(), groups, run.bootstrap());
        if (rates.isEmpty()) {
            return;
        }
        List<String> categories = new ArrayList<>();
        Map<String, List<Point>> series = new LinkedHashMap<>();
        List<List<Object>> csv = new ArrayList<>();
        html.open("table", "id", "label-rates").open("thead").open("tr");
        for (String h : List.of("group", "judge", "label", "share over all questions (95% CI)", "count", "answers")) {
            html.element("th", h);
        }
        html.close("tr").close("thead").open("tbody");
        for (LabelRates.Row r : rates) {
            String category = r.prompt() + ": " + r.label();
            if (!categories.contains(category)) {
                categories.add(category);
            }
            series.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(new Point(category, r.estimate().value(),
                    r.estimate().ci().low(), r.estimate().ci().high(), r.n()));
            csv.add(List.of(r.group(), r.prompt(), r.label(), r.count(), r.n(), r.estimate().value(),
                    r.estimate().ci().low(), r.estimate().ci().high()));
            html.open("tr").element("td", r.group()).element("td", r.prompt()).element("td", r.label())
                    .element("td", new Rate(r.estimate().value(), r.estimate().ci().low(), r.estimate().ci().high()).toString(), "class", "num");
            HeadlineSection.cell(html, r.count());
            HeadlineSection.cell(html, r.n());
            html.close("tr");
        }
        html.close("tbody").close("table");
        if (categories.size() == 1) {
            // one judge: each group's n fits in the legend, so the image states it too
            Map<String, List<Point>> named = new LinkedHashMap<>();
            series.forEach((g, points) -> named.put(g + " (n=" + points.get(0).n() + ")", points));
            series = named;
        }
        String caption = "Share of answers given the flagged label over all of a judge's questions (mean over questions, "
                + "then over models), one dot and 95% CI per group: vulnerable = code the analyzer flags, refused = "
                + "complied with a harmful request, correct = a false statement. n (answers) is in the table above.";
        figures.place(html, new Figure("label-rates", caption, provenance.line(),
                DotCiChart.create(null, "answers with the label (%)", categories, series), 900, 480,
                List.of("group", "judge_prompt", "label", "count", "n", "share", "ci_low", "ci_high"), csv));
    }

    /** One dot per group and question for a flagged label; a question with no row for the label had none of it. */
    private static void perQuestion(String prompt, List<VerdictLine> lines, Set<String> groups, Provenance provenance,
                                    HtmlWriter html, Figures figures) {
        String label = LabelRates.FLAGGED.get(prompt);
        List<VerdictLine> ofPrompt = lines.stream().filter(v -> v.row().prompt().equals(prompt)).toList();
        if (ofPrompt.isEmpty()) {
            return;
        }
        Set<String> questions = new LinkedHashSet<>();
        Map<String, Integer> totals = new LinkedHashMap<>();
        for (VerdictLine v : ofPrompt) {
            questions.add(v.row().questionId());
            totals.put(v.row().group() + "\u0000" + v.row().questionId(), v.row().n());
        }
        Map<String, List<Point>> series = new LinkedHashMap<>();
        List<List<Object>> csv = new ArrayList<>();
        for (String g : groups) {
            List<Point> points = new ArrayList<>();
            int n = 0;
            for (String q : questions) {
                Integer total = totals.get(g + "\u0000" + q);
                if (total == null) {
                    continue;
                }
                n += total;
                VerdictLine hit = ofPrompt.stream().filter(v -> v.row().group().equals(g) && v.row().questionId().equals(q)
                        && v.row().label().equals(label)).findFirst().orElse(null);
                Point p = hit == null ? new Point(q, 0, 0, 0, total)
                        : new Point(q, hit.row().share(), hit.row().ciLow(), hit.row().ciHigh(), total);
                points.add(p);
                csv.add(List.of(g, q, prompt, label, hit == null ? 0 : hit.row().count(), total, p.value(), p.low(), p.high()));
            }
            if (!points.isEmpty()) {
                series.put(g + " (n=" + n + ")", points);
            }
        }
        String caption = "Share of answers the '" + prompt + "' judge labelled " + label + ", per question; one dot and 95% "
                + "CI per group; legend n = answers judged.";
        figures.place(html, new Figure(Figure.slug(prompt) + "-per-question", caption, provenance.line(),
                DotCiChart.create(null, label.toLowerCase(java.util.Locale.ROOT) + " answers (%)", new ArrayList<>(questions), series),
                Math.max(900, Math.min(1150, 150 + questions.size() * (40 + 14 * series.size()))), 560,
                List.of("group", "question_id", "judge_prompt", "label", "count", "n", "share", "ci_low", "ci_high"), csv));
    }

    private static void table(List<VerdictLine> lines, HtmlWriter html) {
        html.open("details").element("summary", "Every label per group and question (" + lines.size() + " rows of verdicts.csv)");
        html.open("table", "id", "verdicts-table").open("thead").open("tr");
        for (String h : List.of("group", "question", "judge", "label", "share (95% CI)", "count", "n", "format")) {
            html.element("th", h);
        }
        html.close("tr").close("thead").open("tbody");
        for (VerdictLine v : lines) {
            var r = v.row();
            html.open("tr").element("td", r.group()).element("td", r.questionId()).element("td", r.prompt())
                    .element("td", r.label()).element("td", new Rate(r.share(), r.ciLow(), r.ciHigh()).toString(), "class", "num");
            HeadlineSection.cell(html, r.count());
            HeadlineSection.cell(html, r.n());
            html.element("td", v.format()).close("tr");
        }
        html.close("tbody").close("table").close("details");
    }
}
