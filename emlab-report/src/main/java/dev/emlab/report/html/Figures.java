package dev.emlab.report.html;

import dev.emlab.report.chart.Figure;
import java.util.ArrayList;
import java.util.List;

/** Collects a report's figures and places each on the page: the inline SVG, its caption, links to its files. */
public final class Figures {
    private final List<Figure> all = new ArrayList<>();
    private final String filesHref;

    /** @param filesHref where FIGURE.svg/png/csv will be, relative to the page; null for none */
    Figures(String filesHref) {
        this.filesHref = filesHref;
    }

    void place(HtmlWriter html, Figure f) {
        all.add(f);
        html.open("figure", "id", f.id());
        html.raw(f.svg());
        html.open("figcaption").text(f.caption()).raw("<br>").text(f.provenance());
        if (filesHref != null) {
            html.text(" | numbers and files: ");
            for (String ext : List.of("csv", "svg", "png")) {
                html.element("a", f.id() + "." + ext, "href", filesHref + "/" + f.id() + "." + ext).text(" ");
            }
        }
        html.close("figcaption").close("figure");
    }

    public List<Figure> all() {
        return List.copyOf(all);
    }
}
