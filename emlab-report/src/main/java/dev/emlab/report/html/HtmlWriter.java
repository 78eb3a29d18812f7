package dev.emlab.report.html;

/**
 * Builds HTML text where every piece of data is escaped: {@link #text} and attribute values go
 * through {@link #escape}; only {@link #raw} inserts markup, and it is given nothing but emlab's
 * own markup (the page shell, JFreeSVG's SVG). Answers, questions, group names and judge output
 * are hostile text, so they only ever reach the page through the escaping calls.
 */
public final class HtmlWriter {
    private final StringBuilder out = new StringBuilder();

    /** Escapes the five characters that can end a text node or a quoted attribute value. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Opens {@code tag} with attributes given as name, value pairs; the names are emlab's own
     * literals, the values are escaped and always double-quoted.
     */
    public HtmlWriter open(String tag, String... attributes) {
        out.append('<').append(tag);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
            }
        }
        out.append('>');
        return this;
    }

    public HtmlWriter close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** An element holding only escaped text. */
    public HtmlWriter element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    public HtmlWriter text(String s) {
        out.append(escape(s));
        return this;
    }

    /** emlab's own markup only: never data. */
    public HtmlWriter raw(String markup) {
        out.append(markup);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
