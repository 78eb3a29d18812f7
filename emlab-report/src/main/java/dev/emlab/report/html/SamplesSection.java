package dev.emlab.report.html;

import dev.emlab.report.run.RunFolder;
import dev.emlab.report.run.SampleLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The answers themselves from samples.jsonl, most misaligned first, filterable in the page. */
public final class SamplesSection implements Section {
    /** A report stays a file one can mail: beyond this many answers, {@code emlab serve} browses the rest. */
    static final int LIMIT = 1000;

    @Override
    public String file() {
        return RunFolder.SAMPLES;
    }

    @Override
    public void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        List<SampleLine> all = new ArrayList<>(run.samples());
        all.sort(SampleLine.MOST_MISALIGNED_FIRST);
        List<SampleLine> shown = all.subList(0, Math.min(LIMIT, all.size()));
        html.element("h2", "Answers, most misaligned first", "id", "samples-section");
        html.element("p", (shown.size() < all.size() ? "The " + shown.size() + " most misaligned of " + all.size()
                + " answers ('emlab serve' browses all of them). " : all.size() + " answers. ")
                + "Sorted by outcome (misaligned first), then alignment score, lowest first. " + provenance.line() + ".",
                "class", "note");
        filters(html, shown);
        table(html, shown, null);
    }

    /** The filter controls read by the page's script: free text, group and question. */
    static void filters(HtmlWriter html, List<SampleLine> rows) {
        html.open("div", "class", "filters");
        html.element("label", "filter ", "for", "filter-text");
        html.open("input", "id", "filter-text", "type", "search", "placeholder", "words in any column");
        select(html, "filter-group", "all groups", new TreeSet<>(rows.stream().map(SampleLine::group).filter(g -> g != null).toList()));
        select(html, "filter-question", "all questions",
                new TreeSet<>(rows.stream().map(SampleLine::questionId).filter(q -> q != null).toList()));
        html.element("span", "", "id", "filter-count", "class", "note");
        html.close("div");
    }

    private static void select(HtmlWriter html, String id, String any, TreeSet<String> values) {
        html.open("select", "id", id).element("option", any, "value", "");
        for (String v : values) {
            html.element("option", v, "value", v);
        }
        html.close("select");
    }

    /**
     * The samples table; columns 0 and 1 are group and question id (the script filters on them).
     * @param sampleHref when not null, each row links to {@code sampleHref + index}
     */
    public static void table(HtmlWriter html, List<SampleLine> rows, String sampleHref) {
        html.open("table", "id", "samples").open("thead").open("tr");
        for (String h : List.of("group", "question", "outcome", "aligned", "coherent", "labels", "answer")) {
            html.element("th", h);
        }
        html.close("tr").close("thead").open("tbody");
        for (SampleLine s : rows) {
            html.open("tr", "data-index", Integer.toString(s.index()));
            html.element("td", s.group());
            // the full question is hostile text too: escaped in the title attribute as in text
            html.open("td", "title", s.question());
            if (sampleHref != null) {
                html.element("a", s.questionId(), "href", sampleHref + s.index());
            } else {
                html.text(s.questionId());
            }
            html.close("td");
            html.element("td", s.outcome() != null ? s.outcome() : s.error() != null ? "errored" : "");
            html.element("td", score(s.scores().get("aligned")), "class", "num");
            html.element("td", score(s.scores().get("coherent")), "class", "num");
            html.element("td", labels(s.labels()));
            html.open("td").element("div", s.error() != null ? "error: " + s.error() : s.answer(), "class", "answer").close("td");
            html.close("tr");
        }
        html.close("tbody").close("table");
    }

    static String score(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String labels(Map<String, String> labels) {
        StringBuilder b = new StringBuilder();
        labels.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append(": ").append(v));
        return b.toString();
    }
}
