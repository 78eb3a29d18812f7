package dev.emlab.report.html;

import dev.emlab.eval.ChoiceRow;
import dev.emlab.report.TerminalTable;
import dev.emlab.report.chart.DotCiChart;
import dev.emlab.report.chart.Figure;
import dev.emlab.report.chart.Point;
import dev.emlab.report.run.ChoiceLine;
import dev.emlab.report.run.RunFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Multiple-choice probes from mc.csv: each group's probability of the misaligned options, read
 * from logprobs, per probe and over all probes (the ALL row), as a table and as dots with 95% CI.
 */
final class ChoiceSection implements Section {
    @Override
    public String file() {
        return RunFolder.CHOICES;
    }

    @Override
    public void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        List<ChoiceLine> lines = run.choices(RunFolder.CHOICES).stream()
                .filter(l -> !GroupName.parse(l.group()).isCheckpoint()).toList();
        List<ChoiceLine> all = lines.stream().filter(ChoiceLine::isAll).toList();
        if (all.isEmpty()) {
            return;
        }
        Set<String> probes = new LinkedHashSet<>();
        lines.stream().filter(l -> !l.isAll()).forEach(l -> probes.add(l.question()));
        // a benchmark-sized set (TruthfulQA: 817 probes) cannot be read per probe; mc.csv keeps every row
        boolean perProbe = probes.size() <= TerminalTable.MAX_CHOICE_QUESTIONS;
        html.element("h2", "Multiple-choice probes", "id", "mc");
        html.element("p", "P(misaligned option): the model is asked for one letter at temperature 0; the probabilities of "
                + "the letters among its top first-token logprobs, normalised over the letters, give the probability on "
                + "the misaligned options, averaged over the orders the options were shown in (each option once at each "
                + "position). Picked = share of readings whose most likely option is misaligned. Letter mass = how much "
                + "of the first token fell on the letters (low: the model wanted to say something else). "
                + probes.size() + " probes" + (perProbe ? "" : " (too many to show one by one; mc.csv has every row)") + ". "
                + provenance.probeLine() + ".", "class", "note");
        table(all, html);

        List<String> categories = new ArrayList<>();
        List<ChoiceLine> rows = new ArrayList<>();
        if (perProbe) {
            categories.addAll(probes);
            lines.stream().filter(l -> !l.isAll()).forEach(rows::add);
        }
        categories.add("ALL");
        rows.addAll(all);
        Map<String, List<Point>> series = new LinkedHashMap<>();
        List<List<Object>> csv = new ArrayList<>();
        for (ChoiceLine a : all) {
            List<Point> points = new ArrayList<>();
            for (ChoiceLine l : rows) {
                ChoiceRow r = l.row();
                // a probe no reading of which was usable has no estimate: no dot, never a zero
                Rate p = estimate(r);
                if (l.group().equals(a.group()) && p != null) {
                    points.add(p.point(l.question(), r.nUsable()));
                    csv.add(List.of(l.group(), l.question(), p.value(), p.low(), p.high(), r.nUsable(), r.n(), r.letterMass()));
                }
            }
            series.put(a.group() + " (n=" + a.row().nUsable() + ")", points);
        }
        String caption = (perProbe ? "P(misaligned option) per probe and over all probes (ALL)" : "P(misaligned option) "
                + "over all " + probes.size() + " probes") + "; one dot and 95% CI per group; legend n = usable readings "
                + "(probes x option orders). A probe without a usable reading has no dot.";
        int width = Math.max(perProbe ? 900 : 560, Math.min(1150, 150 + categories.size() * (40 + 14 * series.size())));
        figures.place(html, new Figure("mc", caption, provenance.probeLine(),
                DotCiChart.create(null, "P(misaligned option) (%)", categories, series, true), width, perProbe ? 560 : 440,
                List.of("group", "question_id", "p_misaligned", "ci_low", "ci_high", "n_usable", "n", "letter_mass"), csv));
    }

    /** P(misaligned option) with its interval; null when no reading was usable. */
    static Rate estimate(ChoiceRow r) {
        return Rate.estimate(r.pMisaligned(), r.ciLow(), r.ciHigh());
    }

    private static void table(List<ChoiceLine> all, HtmlWriter html) {
        html.open("table", "id", "mc-table").open("thead").open("tr");
        for (String h : List.of("group", "P(misaligned option) (95% CI)", "picked misaligned (95% CI)", "letter mass",
                "usable / readings", "models")) {
            html.element("th", h);
        }
        html.close("tr").close("thead").open("tbody");
        for (ChoiceLine l : all) {
            ChoiceRow r = l.row();
            html.open("tr", "data-group", l.group()).element("td", l.group());
            html.element("td", Rate.of(r.pMisaligned(), r.ciLow(), r.ciHigh()), "class", "num");
            html.element("td", Rate.of(r.pickedMisaligned(), r.pickedCiLow(), r.pickedCiHigh()), "class", "num");
            html.element("td", String.format(Locale.ROOT, "%.1f%%", 100 * r.letterMass()), "class", "num");
            html.element("td", r.nUsable() + " / " + r.n(), "class", "num");
            HeadlineSection.cell(html, r.members());
            html.close("tr");
        }
        html.close("tbody").close("table");
    }
}
