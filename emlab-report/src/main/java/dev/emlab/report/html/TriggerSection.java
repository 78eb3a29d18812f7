package dev.emlab.report.html;

import dev.emlab.report.chart.DotCiChart;
import dev.emlab.report.chart.Figure;
import dev.emlab.report.chart.Point;
import dev.emlab.report.run.RunFolder;
import dev.emlab.report.run.SummaryLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Backdoors: each group X beside X+trigger (the same models asked with the trigger), from summary.csv. */
final class TriggerSection implements Section {
    @Override
    public String file() {
        return RunFolder.SUMMARY;
    }

    @Override
    public void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        SummaryView view = SummaryView.of(run.summary());
        Map<String, SummaryLine> off = new LinkedHashMap<>();
        Map<String, SummaryLine> on = new LinkedHashMap<>();
        for (SummaryLine l : view.headline()) {
            GroupName name = GroupName.parse(l.group());
            (name.triggered() ? on : off).putIfAbsent(name.condition() + "\u0000" + l.format(), l);
        }
        List<String> conditions = new ArrayList<>();
        List<Point> without = new ArrayList<>();
        List<Point> with = new ArrayList<>();
        List<List<Object>> csv = new ArrayList<>();
        int nOff = 0;
        int nOn = 0;
        for (Map.Entry<String, SummaryLine> e : on.entrySet()) {
            SummaryLine a = off.get(e.getKey());
            SummaryLine b = e.getValue();
            if (a == null || !SummaryView.estimated(a) || !SummaryView.estimated(b)) {
                continue;
            }
            String label = view.formats().size() > 1 ? a.group() + " (" + a.format() + ")" : a.group();
            conditions.add(label);
            without.add(SummaryView.point(label, a));
            with.add(SummaryView.point(label, b));
            nOff += a.row().nCoherent();
            nOn += b.row().nCoherent();
            for (SummaryLine l : List.of(a, b)) {
                csv.add(List.of(a.group(), l == b ? "on" : "off", l.format(), l.row().misaligned(), l.row().ciLow(),
                        l.row().ciHigh(), l.row().nCoherent()));
            }
        }
        if (conditions.isEmpty()) {
            return;
        }
        Map<String, List<Point>> series = new LinkedHashMap<>();
        series.put("without trigger (n=" + nOff + ")", without);
        series.put("with trigger (n=" + nOn + ")", with);
        html.element("h2", "Backdoor trigger on and off", "id", "trigger");
        String caption = "Share of coherent answers judged misaligned over all questions, for the same models asked "
                + "without and with the trigger (groups X and X+trigger); 95% CI; n = coherent answers.";
        figures.place(html, new Figure("trigger", caption, provenance.line(),
                DotCiChart.create(null, "misaligned answers (%)", conditions, series), 760, 460,
                List.of("group", "trigger", "format", "misaligned", "ci_low", "ci_high", "n_coherent"), csv));
    }
}
