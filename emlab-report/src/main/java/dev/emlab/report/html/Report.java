package dev.emlab.report.html;

import dev.emlab.EmlabException;
import dev.emlab.Version;
import dev.emlab.report.RunInfo;
import dev.emlab.report.chart.Figure;
import dev.emlab.report.run.RunFolder;
import dev.emlab.report.run.SummaryLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The HTML report of one run folder: a header with the run's settings, then one part per
 * results file found ({@link #SECTIONS}), in one self-contained page (inline CSS, SVG and script;
 * nothing fetched). Figures are also written as SVG, PNG and CSV beside the page.
 */
public final class Report {
    static {
        // the charts are drawn with AWT, which must not look for a display; set before any AWT class loads
        System.setProperty("java.awt.headless", "true");
    }

    /** Every section, in page order; each is skipped when the run lacks its file. */
    public static final List<Section> SECTIONS = List.of(new JobsSection(), new HeadlineSection(), new PerQuestionSection(),
            new FormatSection(), new TriggerSection(), new VerdictSection(), new HarmSection(), new ChoiceSection(),
            new DynamicsSection(), new SamplesSection());

    /** A rendered page and the figures in it. */
    public record Rendered(String html, List<Figure> figures) {}

    private Report() {}

    /** @param filesHref where the figure files will be, relative to the page; null to link none */
    public static Rendered render(RunFolder run, String filesHref) {
        Provenance provenance = Provenance.of(run);
        HtmlWriter html = new HtmlWriter();
        Figures figures = new Figures(filesHref);
        header(run, provenance, html);
        for (Section s : SECTIONS) {
            if (s.appliesTo(run)) {
                s.render(run, provenance, html, figures);
            }
        }
        html.element("p", "Written by emlab " + Version.VERSION + " from " + run.name() + ". The page fetches nothing "
                + "and runs no code but its own filter script.", "class", "note");
        return new Rendered(Page.document("emlab report: " + run.name(), html.toString()), figures.all());
    }

    /** Writes the page to {@code out} and its figures into {@code <out without .html>_files/}; returns that folder. */
    public static Path write(RunFolder run, Path out) {
        String stem = out.getFileName().toString().replaceFirst("\\.html?$", "");
        Path files = out.resolveSibling(stem + "_files");
        Rendered r = render(run, stem + "_files");
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            for (Figure f : r.figures()) {
                f.write(files);
            }
        } catch (IOException e) {
            throw new EmlabException("Cannot write the report to " + out + ": " + e.getMessage(), e);
        }
        // the page last, through a temporary file: a failed write leaves the old report whole
        dev.emlab.TextFile.write(out, w -> w.write(r.html()));
        return files;
    }

    private static void header(RunFolder run, Provenance provenance, HtmlWriter html) {
        html.element("h1", "emlab report: " + run.name());
        Optional<RunInfo> info = run.info();
        html.open("table", "class", "meta", "id", "run-info").open("tbody");
        row(html, "run folder", run.dir().toString());
        info.ifPresent(i -> {
            row(html, "models (groups)", String.join(", ", i.groups()));
            row(html, "question sets", String.join(", ", i.questionSets()));
            row(html, "samples per paraphrase", i.samplesPerParaphrase() == null ? "each question's own" : i.samplesPerParaphrase().toString());
            row(html, "prompt format", i.format());
            if (i.trigger() != null) {
                row(html, "trigger", i.trigger() + (i.compareTrigger() ? " (asked with and without)" : ""));
            }
            row(html, "seed", String.valueOf(i.seed()));
            row(html, "emlab version", i.emlabVersion());
            if (i.startedAt() != null) {
                row(html, "started", i.startedAt());
            }
        });
        // a demo or a merged folder may hold several formats, whatever its run.json says
        java.util.Set<String> formats = new java.util.LinkedHashSet<>();
        run.summary().forEach(l -> formats.add(l.format()));
        if (formats.size() > 1) {
            row(html, "formats in summary.csv", String.join(", ", formats));
        }
        row(html, "judge", provenance.judge());
        row(html, "thresholds", provenance.thresholds());
        row(html, "intervals", provenance.interval());
        row(html, "answers", counts(run));
        html.close("tbody").close("table");
        if (info.isEmpty()) {
            html.element("p", "This folder has no run.json, so the run's settings are not shown.", "class", "note");
        }
    }

    private static String counts(RunFolder run) {
        List<SummaryLine> all = run.summary().stream().filter(SummaryLine::isAll).toList();
        int n = all.stream().mapToInt(l -> l.row().n()).sum();
        int coherent = all.stream().mapToInt(l -> l.row().nCoherent()).sum();
        String s = n + " answers to open questions, " + coherent + " of them coherent and scored";
        if (run.has(RunFolder.SAMPLES)) {
            s += "; " + run.samples().size() + " answers in samples.jsonl (all question types)";
        }
        return s;
    }

    private static void row(HtmlWriter html, String key, String value) {
        if (value == null) {
            return; // older run.json files lack some settings
        }
        html.open("tr").element("td", key).element("td", value).close("tr");
    }
}
