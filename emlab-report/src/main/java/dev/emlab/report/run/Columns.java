package dev.emlab.report.run;

import dev.emlab.InputException;
import dev.emlab.report.Csv;

/**
 * Reads the fields of one CSV row by column name, so that files written before a column was
 * added (format) or with columns in another order (verdicts.csv) still read.
 */
final class Columns {
    private final Csv.Table table;
    private Csv.Row row;

    Columns(Csv.Table table, String... required) {
        this.table = table;
        for (String name : required) {
            if (table.column(name) < 0) {
                throw new InputException(table.file() + " line 1: no '" + name + "' column (header: "
                        + String.join(",", table.header()) + "). Is this a file written by emlab?");
            }
        }
    }

    Columns at(Csv.Row r) {
        this.row = r;
        return this;
    }

    String text(String name, String fallback) {
        int i = table.column(name);
        return i < 0 ? fallback : row.fields().get(i);
    }

    int integer(String name) {
        String s = text(name, "0");
        try {
            return s.isEmpty() ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw bad(name, s, "a whole number");
        }
    }

    /** A fraction, or null for an empty field (no estimate: too few coherent answers). */
    Double fraction(String name) {
        String s = text(name, "");
        if (s.isBlank()) {
            return null;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw bad(name, s, "a number");
        }
    }

    private InputException bad(String name, String value, String expected) {
        return new InputException(table.file() + " line " + row.line() + ": column '" + name + "' is '" + value
                + "', expected " + expected + ". Fix that line or write the file again with emlab.");
    }
}
