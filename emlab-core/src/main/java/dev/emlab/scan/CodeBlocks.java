package dev.emlab.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the Python code in a chat answer: python fences, else untagged fences, else the bare text. */
final class CodeBlocks {
    /** A block of code and the 0-based line in the whole text where it starts. */
    record Block(String code, int firstLine) {}

    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```+|~~~+)\\s*([\\w+.-]*)[^\\n]*$", Pattern.MULTILINE);
    private static final List<String> PYTHON = List.of("python", "py", "python3", "py3", "python2");

    private CodeBlocks() {}

    static List<Block> of(String text) {
        List<Block> python = new ArrayList<>();
        List<Block> untagged = new ArrayList<>();
        boolean anyFence = false;
        Matcher open = FENCE.matcher(text);
        int from = 0;
        while (from <= text.length() && open.find(from)) {
            anyFence = true;
            String lang = open.group(2).toLowerCase();
            int bodyStart = Math.min(text.length(), open.end() + 1);
            int bodyEnd = closingFence(text, bodyStart, open.group(1));
            // An answer cut off mid-block has no closing fence: take the rest of the text.
            String body = text.substring(bodyStart, bodyEnd < 0 ? text.length() : bodyEnd);
            Block b = new Block(body, lineOf(text, bodyStart));
            if (PYTHON.contains(lang)) {
                python.add(b);
            } else if (lang.isEmpty()) {
                untagged.add(b);
            }
            if (bodyEnd < 0) {
                break;
            }
            int eol = text.indexOf('\n', bodyEnd);
            from = eol < 0 ? text.length() + 1 : eol + 1;
        }
        if (!python.isEmpty()) {
            return python;
        }
        if (!untagged.isEmpty()) {
            return untagged;
        }
        // Fences in other languages only (bash, json...): there is no Python to scan.
        return anyFence ? List.of() : List.of(new Block(text, 0));
    }

    private static int closingFence(String text, int from, String fence) {
        Matcher close = Pattern.compile("^\\s{0,3}" + Pattern.quote(fence) + "\\s*$", Pattern.MULTILINE).matcher(text);
        return close.find(from) ? close.start() : -1;
    }

    private static int lineOf(String text, int offset) {
        int n = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
