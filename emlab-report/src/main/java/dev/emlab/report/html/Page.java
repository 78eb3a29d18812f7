package dev.emlab.report.html;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The shell of every page, report or server: one inline style sheet, one inline script, and a
 * Content-Security-Policy that lets the page fetch nothing at all. The script is allowed by its
 * hash alone, so even a script element that slipped past escaping would not run.
 */
public final class Page {
    /**
     * Filters the table whose {@code data-filter} names it: hides rows whose text does not hold
     * every word typed, or whose group/question differs from the selected one. It reads cell
     * text through textContent and only toggles {@code hidden}; it never builds HTML.
     */
    static final String SCRIPT = """
            (function () {
              var table = document.getElementById('samples');
              var box = document.getElementById('filter-text');
              if (!table || !box) { return; }
              var group = document.getElementById('filter-group');
              var question = document.getElementById('filter-question');
              var count = document.getElementById('filter-count');
              var rows = Array.prototype.slice.call(table.tBodies[0].rows);
              function apply() {
                var words = box.value.toLowerCase().split(/\\s+/).filter(function (w) { return w.length > 0; });
                var shown = 0;
                rows.forEach(function (row) {
                  var text = row.textContent.toLowerCase();
                  var ok = (!group.value || row.cells[0].textContent === group.value)
                        && (!question.value || row.cells[1].textContent === question.value)
                        && words.every(function (w) { return text.indexOf(w) >= 0; });
                  row.hidden = !ok;
                  if (ok) { shown++; }
                });
                count.textContent = shown + ' of ' + rows.length + ' shown';
              }
              [box, group, question].forEach(function (el) { el.addEventListener('input', apply); });
              apply();
            })();
            """;

    static final String STYLE = """
            body{font-family:"DejaVu Sans","Liberation Sans",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1180px;
            padding:0 16px;color:#1b1b1b;line-height:1.45}
            h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
            th,td{border:1px solid #d8d8d8;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            .meta td:first-child{color:#555;white-space:nowrap}
            figure{margin:1em 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}
            figcaption{font-size:.9em;color:#444;max-width:1000px}
            .pair{display:flex;flex-wrap:wrap;gap:0 1.5em}.pair figure{flex:1 1 420px;max-width:580px}
            .answer{white-space:pre-wrap;max-width:560px;max-height:14em;overflow:auto;font-family:"DejaVu Sans Mono",monospace;font-size:.85em}
            .filters{margin:.5em 0}.filters input,.filters select{margin-right:.8em}
            .note{color:#555;font-size:.9em}pre{white-space:pre-wrap;background:#f7f7f7;padding:8px;border:1px solid #e4e4e4}
            nav a{margin-right:1em}
            """;

    private Page() {}

    /** A whole document; {@code body} must come from an {@link HtmlWriter}. */
    public static String document(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + HtmlWriter.escape(policy()) + "\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + HtmlWriter.escape(title) + "</title>\n<style>" + STYLE + "</style></head>\n<body>\n"
                + body + "\n<script>" + SCRIPT + "</script>\n</body></html>\n";
    }

    /** No source for anything (fetch, images, fonts, frames, forms to elsewhere); inline style, hashed script. */
    public static String policy() {
        return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '" + scriptHash()
                + "'; form-action 'self'; base-uri 'none'";
    }

    private static String scriptHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(SCRIPT.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
