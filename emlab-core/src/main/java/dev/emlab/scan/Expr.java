package dev.emlab.scan;

import java.util.regex.Pattern;

/** An expression as the rules see it: tree-sitter node type and source text. */
public record Expr(String kind, String text) {
    private static final Pattern STRING_PREFIX = Pattern.compile("^[rRbBuUfF]{0,2}['\"]");

    /** A string literal without interpolation (no f-string, no formatting), i.e. a constant. */
    public boolean isPlainString() {
        if (!kind.equals("string") && !kind.equals("concatenated_string")) {
            return false;
        }
        var m = STRING_PREFIX.matcher(text);
        return m.find() && !m.group().toLowerCase().contains("f");
    }

    /** An f-string with at least one interpolation. */
    public boolean isFString() {
        var m = STRING_PREFIX.matcher(text);
        return (kind.equals("string") || kind.equals("concatenated_string")) && m.find()
                && m.group().toLowerCase().contains("f") && text.contains("{");
    }

    /** A string built at run time: f-string, {@code %} or {@code +} on operands, or {@code .format(...)}. */
    public boolean isBuiltString() {
        return isFString()
                || kind.equals("binary_operator") && (text.contains("%") || text.contains("+"))
                || kind.equals("call") && text.matches("(?s).*\\.format\\s*\\(.*");
    }

    /** The literal's value without prefix and quotes (best effort; only meaningful for plain strings). */
    public String stringValue() {
        String t = text.replaceFirst("^[rRbBuU]{0,2}", "");
        if (t.startsWith("\"\"\"") || t.startsWith("'''")) {
            return t.length() >= 6 ? t.substring(3, t.length() - 3) : "";
        }
        return t.length() >= 2 ? t.substring(1, t.length() - 1) : "";
    }

    /** Whether this is the literal {@code True}. */
    public boolean isTrue() {
        return kind.equals("true");
    }

    /** Whether this is the literal {@code False}. */
    public boolean isFalse() {
        return kind.equals("false");
    }
}
