package dev.emlab.report.html;

import dev.emlab.report.chart.DotCiChart;
import dev.emlab.report.chart.Figure;
import dev.emlab.report.chart.Point;
import dev.emlab.report.run.RunFolder;
import dev.emlab.report.run.SummaryLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Question formats compared (plain, JSON, template...): from the format column of summary.csv's
 * ALL rows when the run was asked in several formats, else from question ids whose suffix names
 * the format (the paper's files and builtin:main), computed from samples.jsonl.
 */
final class FormatSection implements Section {
    @Override
    public String file() {
        return RunFolder.SUMMARY;
    }

    @Override
    public void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        SummaryView view = SummaryView.of(run.summary());
        if (view.formats().size() < 2) {
            bySuffix(run, provenance, html, figures);
            return;
        }
        List<Point> points = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (SummaryLine l : view.headline().stream().filter(SummaryView::estimated).toList()) {
            groups.add(l.group());
            points.add(SummaryView.point(l.format(), l));
        }
        place(html, figures, provenance, new ArrayList<>(view.formats()), groups, points,
                "Share of coherent answers judged misaligned over all questions, by the format the questions were "
                + "asked in; one dot and 95% CI per group, legend n = coherent answers over all formats. A group asked in "
                + "one format only has one dot.");
    }

    private static void bySuffix(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        if (!run.has(RunFolder.SAMPLES)) {
            return;
        }
        List<QuestionFormatRates.Row> rows = QuestionFormatRates.of(run.samples(),
                QuestionFormatRates.minCoherent(run.info()), run.bootstrap());
        if (QuestionFormatRates.formats(rows) < 2) {
            return;
        }
        List<String> formats = rows.stream().map(QuestionFormatRates.Row::format).distinct()
                .sorted(Comparator.comparingInt(List.of("plain", "json", "template")::indexOf)).toList();
        List<Point> points = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        for (QuestionFormatRates.Row r : rows) {
            groups.add(r.group());
            points.add(new Point(r.format(), r.estimate().value(), r.estimate().ci().low(), r.estimate().ci().high(),
                    r.coherent()));
        }
        place(html, figures, provenance, formats, groups, points,
                "Share of coherent answers judged misaligned by question format, the format read from the question id"
                + " (..._json, ..._template, else plain), computed from samples.jsonl like summary.csv's ALL rows; one dot and"
                + " 95% CI per group, legend n = coherent answers.");
    }

    /** One dot per group and format; {@code groups.get(i)} owns {@code points.get(i)}, whose x is the format. */
    private static void place(HtmlWriter html, Figures figures, Provenance provenance, List<String> formats,
                              List<String> groups, List<Point> points, String caption) {
        Map<String, List<Point>> byGroup = new LinkedHashMap<>();
        List<List<Object>> csv = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            byGroup.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(p);
            csv.add(List.of(groups.get(i), p.x(), p.value(), p.low(), p.high(), p.n()));
        }
        Map<String, List<Point>> series = new LinkedHashMap<>();
        byGroup.forEach((g, ps) -> series.put(g + " (n=" + ps.stream().mapToInt(Point::n).sum() + ")", ps));
        html.element("h2", "Question formats", "id", "formats");
        figures.place(html, new Figure("formats", caption, provenance.line(),
                DotCiChart.create(null, "misaligned answers (%)", formats, series), 900, 480,
                List.of("group", "format", "misaligned", "ci_low", "ci_high", "n_coherent"), csv));
    }
}
