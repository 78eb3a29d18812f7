package dev.emlab.report.html;

import dev.emlab.report.chart.DotCiChart;
import dev.emlab.report.chart.Figure;
import dev.emlab.report.chart.Point;
import dev.emlab.report.run.RunFolder;
import dev.emlab.report.run.SummaryLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The paper's key figure from summary.csv: per question, one dot and 95% CI per group. */
final class PerQuestionSection implements Section {
    @Override
    public String file() {
        return RunFolder.SUMMARY;
    }

    @Override
    public void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        SummaryView view = SummaryView.of(run.summary());
        String format = view.mainFormat();
        List<SummaryLine> rows = view.finals().stream()
                .filter(l -> !l.isAll() && l.format().equals(format) && SummaryView.estimated(l)).toList();
        if (rows.isEmpty()) {
            return;
        }
        Set<String> questions = new LinkedHashSet<>();
        rows.forEach(l -> questions.add(l.question()));
        Map<String, List<Point>> series = new LinkedHashMap<>();
        List<List<Object>> csv = new ArrayList<>();
        for (String g : SummaryView.groups(rows)) {
            List<Point> points = new ArrayList<>();
            for (SummaryLine l : rows) {
                if (l.group().equals(g)) {
                    points.add(SummaryView.point(l.question(), l));
                    csv.add(List.of(g, l.question(), format, l.row().misaligned(), l.row().ciLow(), l.row().ciHigh(),
                            l.row().nCoherent(), l.row().n()));
                }
            }
            series.put(g + " (n=" + view.coherentN(g, format) + ")", points);
        }
        html.element("h2", "Misaligned answers per question", "id", "per-question");
        String caption = "Share of coherent answers judged misaligned, per question (" + format + " format); one dot and "
                + "95% CI per group; legend n = coherent answers over all questions. Questions where a group had too few "
                + "coherent answers have no dot.";
        int width = Math.max(900, Math.min(1150, 150 + questions.size() * (40 + 14 * series.size())));
        figures.place(html, new Figure("per-question", caption, provenance.line(),
                DotCiChart.create(null, "misaligned answers (%)", new ArrayList<>(questions), series), width, 560,
                List.of("group", "question_id", "format", "misaligned", "ci_low", "ci_high", "n_coherent", "n"), csv));
    }
}
