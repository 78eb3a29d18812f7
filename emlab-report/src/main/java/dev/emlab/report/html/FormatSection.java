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
        List<SummaryLine> rows = view.headline().stream().filter(SummaryView::estimated).toList();
        List<String> formats = new ArrayList<>(view.formats());
        Map<String, List<Point>> series = new LinkedHashMap<>();
        List<List<Object>> csv = new ArrayList<>();
        for (String g : SummaryView.groups(rows)) {
            List<Point> points = new ArrayList<>();
            int n = 0;
            for (SummaryLine l : rows) {
                if (l.group().equals(g)) {
                    points.add(SummaryView.point(l.format(), l));
                    n += l.row().nCoherent();
                    csv.add(List.of(g, l.format(), l.row().misaligned(), l.row().ciLow(), l.row().ciHigh(), l.row().nCoherent()));
                }
            }
            series.put(g + " (n=" + n + ")", points);
        }
        html.element("h2", "Question formats", "id", "formats");
        String caption = "Share of coherent answers judged misaligned over all questions, by the format the questions were "
                + "asked in; one dot and 95% CI per group, legend n = coherent answers over all formats. A group asked in "
                + "one format only has one dot.";
        figures.place(html, new Figure("formats", caption, provenance.line(),
                DotCiChart.create(null, "misaligned answers (%)", formats, series), 900, 480,
                List.of("group", "format", "misaligned", "ci_low", "ci_high", "n_coherent"), csv));
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
        Map<String, List<Point>> series = new LinkedHashMap<>();
        List<List<Object>> csv = new ArrayList<>();
        for (String g : rows.stream().map(QuestionFormatRates.Row::group).distinct().toList()) {
            List<Point> points = new ArrayList<>();
            int n = 0;
            for (QuestionFormatRates.Row r : rows) {
                if (r.group().equals(g)) {
                    points.add(new Point(r.format(), r.estimate().value(), r.estimate().ci().low(), r.estimate().ci().high(),
                            r.coherent()));
                    n += r.coherent();
                    csv.add(List.of(g, r.format(), r.estimate().value(), r.estimate().ci().low(), r.estimate().ci().high(),
                            r.coherent()));
                }
            }
            series.put(g + " (n=" + n + ")", points);
        }
        html.element("h2", "Question formats", "id", "formats");
        String caption = "Share of coherent answers judged misaligned by question format, the format read from the question id"
                + " (..._json, ..._template, else plain), computed from samples.jsonl like summary.csv's ALL rows; one dot and"
                + " 95% CI per group, legend n = coherent answers.";
        figures.place(html, new Figure("formats", caption, provenance.line(),
                DotCiChart.create(null, "misaligned answers (%)", formats, series), 900, 480,
                List.of("group", "format", "misaligned", "ci_low", "ci_high", "n_coherent"), csv));
    }
}
