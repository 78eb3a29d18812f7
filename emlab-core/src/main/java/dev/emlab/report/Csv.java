package dev.emlab.report;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/** Writes RFC 4180 CSV rows: fields with commas, quotes or line breaks are quoted. */
final class Csv {
    private Csv() {}

    static void row(Writer out, List<?> fields) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(field(fields.get(i)));
        }
        out.write(line.append('\n').toString());
    }

    private static String field(Object value) {
        if (value == null) {
            return "";
        }
        String s = value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : value.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
