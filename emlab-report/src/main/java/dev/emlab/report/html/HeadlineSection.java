package dev.emlab.report.html;

import dev.emlab.report.run.RunFolder;
import dev.emlab.report.run.SummaryLine;
import java.util.List;

/** The headline table from summary.csv: each group's misaligned share over all questions, with its CI and counts. */
final class HeadlineSection implements Section {
    @Override
    public String file() {
        return RunFolder.SUMMARY;
    }

    @Override
    public void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        SummaryView view = SummaryView.of(run.summary());
        List<SummaryLine> rows = view.headline();
        html.element("h2", "Misaligned answers by group", "id", "headline");
        if (rows.isEmpty()) {
            html.element("p", "This run has no questions judged 0..100 for alignment, so there is no misaligned share "
                    + "(see the categorical judges, refusals or probes below).", "class", "note");
            return;
        }
        boolean formats = view.formats().size() > 1;
        html.element("p", "Share of coherent answers judged misaligned, over all open questions (mean over questions, "
                + "then over the group's models). " + provenance.line() + ".", "class", "note");
        html.open("table", "id", "headline-table").open("thead").open("tr");
        for (String h : formats
                ? List.of("group", "format", "misaligned (95% CI)", "coherent n", "answers", "incoherent", "no score", "errored", "models")
                : List.of("group", "misaligned (95% CI)", "coherent n", "answers", "incoherent", "no score", "errored", "models")) {
            html.element("th", h);
        }
        html.close("tr").close("thead").open("tbody");
        for (SummaryLine l : rows) {
            var r = l.row();
            html.open("tr", "data-group", l.group()).element("td", l.group());
            if (formats) {
                html.element("td", l.format());
            }
            html.element("td", Rate.of(r.misaligned(), r.ciLow(), r.ciHigh()), "class", "num");
            cell(html, r.nCoherent());
            cell(html, r.n());
            cell(html, r.nIncoherent());
            cell(html, r.nNullCode() + r.nNullRefusal() + r.nNullOther());
            cell(html, r.nErrored());
            cell(html, r.members());
            html.close("tr");
        }
        html.close("tbody").close("table");
    }

    static void cell(HtmlWriter html, int n) {
        html.element("td", Integer.toString(n), "class", "num");
    }
}
