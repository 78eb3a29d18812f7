package dev.emlab.report.html;

import dev.emlab.report.Csv;
import dev.emlab.report.run.RunFolder;

/**
 * Any results file without a section of its own yet (harmful.csv, mc.csv when issue 7 writes
 * them): its rows as an escaped table, so the numbers are in the report until a chart is added.
 */
final class CsvTableSection implements Section {
    private final String file;
    private final String title;

    CsvTableSection(String file, String title) {
        this.file = file;
        this.title = title;
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        Csv.Table table = Csv.read(run.dir().resolve(file));
        html.element("h2", title, "id", file.replaceAll("[^a-z0-9]", "-"));
        html.element("p", "The rows of " + file + " as written. " + provenance.line() + ".", "class", "note");
        html.open("table").open("thead").open("tr");
        table.header().forEach(h -> html.element("th", h));
        html.close("tr").close("thead").open("tbody");
        for (Csv.Row r : table.rows()) {
            html.open("tr");
            r.fields().forEach(f -> html.element("td", f));
            html.close("tr");
        }
        html.close("tbody").close("table");
    }
}
