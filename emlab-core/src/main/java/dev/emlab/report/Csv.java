package dev.emlab.report;

import dev.emlab.InputException;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes and reads RFC 4180 CSV rows: fields with commas, quotes or line breaks are quoted. */
public final class Csv {
    private Csv() {}

    /** A CSV file read back: its header and its rows, each row with the line it starts on (for messages). */
    public record Table(Path file, List<String> header, List<Row> rows) {
        public Table {
            header = List.copyOf(header);
            rows = List.copyOf(rows);
        }

        /** The index of a column, or -1 when the file has no such column (older or newer writers). */
        public int column(String name) {
            return header.indexOf(name);
        }
    }

    /** One data row of a {@link Table}; {@code line} is 1-based, as editors show it. */
    public record Row(int line, List<String> fields) {
        public Row {
            fields = List.copyOf(fields);
        }
    }

    /** Writes one row; doubles as 4 decimals, null as an empty field. */
    public static void row(Writer out, List<?> fields) throws IOException {
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

    /**
     * Reads a CSV file written by {@link #row}: the first record is the header, and every other
     * record must have as many fields. A broken file stops with a message naming file and line.
     */
    public static Table read(Path file) {
        String text = dev.emlab.TextFile.read(file, "CSV file", Long.MAX_VALUE);
        List<Row> records = parse(file, text);
        if (records.isEmpty()) {
            throw new InputException(file + " is empty: it should start with a header line. Write it again with emlab.");
        }
        List<String> header = records.get(0).fields();
        List<Row> rows = records.subList(1, records.size());
        for (Row r : rows) {
            if (r.fields().size() != header.size()) {
                throw new InputException(file + " line " + r.line() + ": " + r.fields().size() + " fields, but the header has "
                        + header.size() + ". Fix or remove that line (a field with a comma must be in double quotes).");
            }
        }
        return new Table(file, header, rows);
    }

    /** Splits text into records; quoted fields may hold commas, doubled quotes and line breaks. */
    private static List<Row> parse(Path file, String text) {
        List<Row> out = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    line += c == '\n' ? 1 : 0;
                    cur.append(c);
                }
                continue;
            }
            if (c == '"' && cur.length() == 0) {
                quoted = true;
                any = true;
            } else if (c == ',') {
                fields.add(cur.toString());
                cur.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || cur.length() > 0) {
                    fields.add(cur.toString());
                    out.add(new Row(recordLine, fields));
                }
                fields = new ArrayList<>();
                cur.setLength(0);
                any = false;
                line++;
                recordLine = line;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new InputException(file + " line " + recordLine + ": a quoted field is never closed. Add the closing "
                    + "double quote or remove that line.");
        }
        if (any || cur.length() > 0) {
            fields.add(cur.toString());
            out.add(new Row(recordLine, fields));
        }
        return out;
    }
}
