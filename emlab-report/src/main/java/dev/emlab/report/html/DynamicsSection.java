package dev.emlab.report.html;

import dev.emlab.report.chart.BandChart;
import dev.emlab.report.chart.Figure;
import dev.emlab.report.chart.Point;
import dev.emlab.report.run.ChoiceLine;
import dev.emlab.report.run.HarmLine;
import dev.emlab.report.run.RunFolder;
import dev.emlab.report.run.SampleLine;
import dev.emlab.report.run.SummaryLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Training dynamics from dynamics/summary.csv ({@code emlab run}) or from checkpoint groups
 * {@code COND@STEP} inside summary.csv ({@code emlab demo}): misaligned share along training, the
 * flagged label rates (vulnerable code...) when dynamics/samples.jsonl has categorical answers, and
 * the probes' P(misaligned option) and the refusal rate from dynamics/mc.csv and dynamics/harmful.csv.
 */
final class DynamicsSection implements Section {
    @Override
    public String file() {
        return RunFolder.DYNAMICS;
    }

    @Override
    public boolean appliesTo(RunFolder run) {
        return run.has(RunFolder.DYNAMICS) || run.has(RunFolder.DYNAMICS_CHOICES) || run.has(RunFolder.DYNAMICS_HARMFUL)
                || !SummaryView.of(run.summary()).checkpoints().isEmpty() || !probes(run).isEmpty() || !refusals(run).isEmpty();
    }

    /** ALL rows of checkpoint groups with an estimate, from mc.csv and dynamics/mc.csv, by step. */
    private static List<ChoiceLine> probes(RunFolder run) {
        List<ChoiceLine> lines = new ArrayList<>(run.choices(RunFolder.CHOICES));
        lines.addAll(run.choices(RunFolder.DYNAMICS_CHOICES));
        return lines.stream().filter(l -> l.isAll() && l.row().pMisaligned() != null && GroupName.parse(l.group()).isCheckpoint())
                .sorted(java.util.Comparator.comparing(l -> GroupName.parse(l.group()).step())).toList();
    }

    /** ALL rows of checkpoint groups with a refusal rate, from harmful.csv and dynamics/harmful.csv, by step. */
    private static List<HarmLine> refusals(RunFolder run) {
        List<HarmLine> lines = new ArrayList<>(run.harm(RunFolder.HARMFUL));
        lines.addAll(run.harm(RunFolder.DYNAMICS_HARMFUL));
        return lines.stream().filter(l -> l.isAll() && l.row().refusal() != null && GroupName.parse(l.group()).isCheckpoint())
                .sorted(java.util.Comparator.comparing(l -> GroupName.parse(l.group()).step())).toList();
    }

    @Override
    public void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        List<SummaryLine> lines = new ArrayList<>(SummaryView.of(run.summary()).checkpoints());
        lines.addAll(run.dynamics());
        List<SummaryLine> all = lines.stream().filter(l -> l.isAll() && SummaryView.estimated(l)).sorted(SummaryView.BY_STEP).toList();
        List<SampleLine> samples = run.has(RunFolder.DYNAMICS_SAMPLES) ? SampleLine.read(run.file(RunFolder.DYNAMICS_SAMPLES).orElseThrow()) : List.of();
        List<ChoiceLine> probes = probes(run);
        List<HarmLine> refusals = refusals(run);
        if (all.isEmpty() && samples.stream().noneMatch(s -> !s.labels().isEmpty()) && probes.isEmpty() && refusals.isEmpty()) {
            return;
        }
        html.element("h2", "Training dynamics", "id", "dynamics");
        if (!all.isEmpty()) {
            Map<String, List<Point>> series = new LinkedHashMap<>();
            List<List<Object>> csv = new ArrayList<>();
            for (SummaryLine l : all) {
                GroupName g = GroupName.parse(l.group());
                series.computeIfAbsent(g.condition(), c -> new ArrayList<>()).add(SummaryView.point(Integer.toString(g.step()), l));
                csv.add(List.of(g.condition(), g.step(), l.format(), l.row().misaligned(), l.row().ciLow(), l.row().ciHigh(), l.row().nCoherent()));
            }
            String caption = "Share of coherent answers judged misaligned over all questions at each evaluated checkpoint; "
                    + "line = estimate, band = 95% CI. n (coherent answers) per point: " + nList(all) + ".";
            figures.place(html, new Figure("dynamics", caption, provenance.line() + " | n per point: " + nList(all),
                    BandChart.create(null, "misaligned answers (%)", series), 900, 480,
                    List.of("condition", "step", "format", "misaligned", "ci_low", "ci_high", "n_coherent"), csv));
        }
        if (!probes.isEmpty()) {
            List<Step> steps = probes.stream().map(l -> new Step(l.group(), ChoiceSection.estimate(l.row()), l.row().nUsable(),
                    l.row().n())).toList();
            placeLine(html, figures, "dynamics-mc", "P(misaligned option) over all multiple-choice probes at each checkpoint "
                    + "(mc.csv ALL rows)", "usable readings", provenance.probeLine(), "P(misaligned option) (%)",
                    List.of("condition", "step", "p_misaligned", "ci_low", "ci_high", "n_usable", "n"), steps);
        }
        if (!refusals.isEmpty()) {
            List<Step> steps = refusals.stream().map(l -> new Step(l.group(), HarmSection.estimate(l.row(), true),
                    l.row().nRated(), l.row().n())).toList();
            Set<String> judges = new LinkedHashSet<>();
            refusals.stream().map(HarmLine::judge).filter(j -> !j.isBlank()).forEach(judges::add);
            placeLine(html, figures, "dynamics-refusal", "Share of rated answers to harmful requests that refused, over all "
                    + "requests at each checkpoint (harmful.csv ALL rows)", "rated answers",
                    provenance.harmLine(String.join(", ", judges)), "refused (%)",
                    List.of("condition", "step", "refusal", "ci_low", "ci_high", "n_rated", "n"), steps);
        }
        Set<String> groups = new LinkedHashSet<>();
        samples.forEach(s -> groups.add(s.group()));
        List<LabelRates.Row> rates = LabelRates.of(samples, groups, run.bootstrap());
        for (String prompt : rates.stream().map(LabelRates.Row::prompt).distinct().toList()) {
            Map<String, List<Point>> series = new LinkedHashMap<>();
            List<List<Object>> csv = new ArrayList<>();
            StringBuilder ns = new StringBuilder();
            rates.stream().filter(r -> r.prompt().equals(prompt) && GroupName.parse(r.group()).isCheckpoint())
                    .sorted(java.util.Comparator.comparing((LabelRates.Row r) -> GroupName.parse(r.group()).step()))
                    .forEach(r -> {
                        GroupName g = GroupName.parse(r.group());
                        series.computeIfAbsent(g.condition(), c -> new ArrayList<>()).add(new Point(Integer.toString(g.step()),
                                r.estimate().value(), r.estimate().ci().low(), r.estimate().ci().high(), r.n()));
                        csv.add(List.of(g.condition(), g.step(), prompt, r.label(), r.count(), r.n(), r.estimate().value(),
                                r.estimate().ci().low(), r.estimate().ci().high()));
                        ns.append(ns.length() == 0 ? "" : ", ").append(r.group()).append(' ').append(r.n());
                    });
            if (series.isEmpty()) {
                continue;
            }
            String label = LabelRates.FLAGGED.get(prompt);
            String caption = "Share of answers the '" + prompt + "' judge labelled " + label + " at each checkpoint, over all "
                    + "its questions; band = 95% CI. n (answers) per point: " + ns + ".";
            figures.place(html, new Figure("dynamics-" + Figure.slug(prompt), caption,
                    provenance.line() + " | n per point: " + ns,
                    BandChart.create(null, label.toLowerCase(java.util.Locale.ROOT) + " answers (%)", series), 900, 480,
                    List.of("condition", "step", "judge_prompt", "label", "count", "n", "share", "ci_low", "ci_high"), csv));
        }
    }

    /** A checkpoint's estimate: {@code n} is the count behind it, {@code total} every answer or reading. */
    private record Step(String group, Rate rate, int n, int total) {}

    /** One line per condition over the steps, with its CI band; the caption and the image give each point's n. */
    private static void placeLine(HtmlWriter html, Figures figures, String id, String what, String nName, String provenance,
                                  String yLabel, List<String> csvHeader, List<Step> steps) {
        Map<String, List<Point>> series = new LinkedHashMap<>();
        List<List<Object>> csv = new ArrayList<>();
        StringBuilder ns = new StringBuilder();
        for (Step s : steps) {
            GroupName g = GroupName.parse(s.group());
            series.computeIfAbsent(g.condition(), c -> new ArrayList<>()).add(s.rate().point(Integer.toString(g.step()), s.n()));
            csv.add(List.of(g.condition(), g.step(), s.rate().value(), s.rate().low(), s.rate().high(), s.n(), s.total()));
            ns.append(ns.length() == 0 ? "" : ", ").append(s.group()).append(' ').append(s.n());
        }
        String caption = what + "; line = estimate, band = 95% CI. n (" + nName + ") per point: " + ns + ".";
        figures.place(html, new Figure(id, caption, provenance + " | n per point: " + ns,
                BandChart.create(null, yLabel, series), 900, 480, csvHeader, csv));
    }

    private static String nList(List<SummaryLine> all) {
        StringBuilder b = new StringBuilder();
        for (SummaryLine l : all) {
            b.append(b.length() == 0 ? "" : ", ").append(l.group()).append(' ').append(l.row().nCoherent());
        }
        return b.toString();
    }
}
