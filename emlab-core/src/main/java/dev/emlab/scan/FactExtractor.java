package dev.emlab.scan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TSQuery;
import org.treesitter.TSQueryCapture;
import org.treesitter.TSQueryCursor;
import org.treesitter.TSQueryMatch;

/** Turns a tree-sitter tree into {@link PyFacts} with one query (walking every node from Java is much slower). */
final class FactExtractor {
    // Pattern order matters: the pattern index tells collect() what kind of match it got.
    private static final String QUERY = """
            (call function: (_) @fn arguments: (argument_list) @args) @call
            (assignment left: (_) @lhs right: (_) @rhs) @assign
            (augmented_assignment left: (_) @lhs right: (_) @rhs) @assign
            (return_statement (_) @value) @ret
            (decorated_definition definition: (function_definition name: (identifier) @name parameters: (parameters) @params)) @def
            [(import_statement) (import_from_statement)] @import
            """;

    private final TSQuery query;

    FactExtractor(TSLanguage language) {
        this.query = new TSQuery(language, QUERY);
    }

    PyFacts extract(TSNode root, byte[] utf8, String source) {
        List<PyFacts.Call> calls = new ArrayList<>();
        List<PyFacts.Assign> assigns = new ArrayList<>();
        List<PyFacts.Return> returns = new ArrayList<>();
        List<PyFacts.Function> functions = new ArrayList<>();
        StringBuilder imports = new StringBuilder();
        try (TSQueryCursor cursor = new TSQueryCursor()) {
            cursor.exec(query, root);
            TSQueryMatch match = new TSQueryMatch();
            while (cursor.nextMatch(match)) {
                Map<String, TSNode> cap = captures(match);
                switch (match.getPatternIndex()) {
                    case 0 -> calls.add(call(cap, utf8));
                    case 1, 2 -> assigns.add(new PyFacts.Assign(line(cap.get("assign")), text(cap.get("lhs"), utf8),
                            expr(cap.get("rhs"), utf8)));
                    case 3 -> returns.add(new PyFacts.Return(line(cap.get("ret")), expr(cap.get("value"), utf8)));
                    case 4 -> functions.add(function(cap, utf8));
                    default -> imports.append(text(cap.get("import"), utf8)).append('\n');
                }
            }
        }
        return new PyFacts(calls, assigns, returns, functions, imports.toString(), source);
    }

    private Map<String, TSNode> captures(TSQueryMatch match) {
        Map<String, TSNode> out = new LinkedHashMap<>();
        for (TSQueryCapture c : match.getCaptures()) {
            out.put(query.getCaptureNameForId(c.getIndex()), c.getNode());
        }
        return out;
    }

    private static PyFacts.Call call(Map<String, TSNode> cap, byte[] utf8) {
        TSNode args = cap.get("args");
        List<Expr> positional = new ArrayList<>();
        Map<String, Expr> keywords = new LinkedHashMap<>();
        for (int i = 0; i < args.getNamedChildCount(); i++) {
            TSNode a = args.getNamedChild(i);
            if (a.getType().equals("keyword_argument")) {
                keywords.put(text(a.getChildByFieldName("name"), utf8), expr(a.getChildByFieldName("value"), utf8));
            } else if (!a.getType().equals("comment")) {
                positional.add(expr(a, utf8));
            }
        }
        String callee = text(cap.get("fn"), utf8).replaceAll("\\s+", "");
        return new PyFacts.Call(line(cap.get("call")), callee, positional, keywords, text(cap.get("call"), utf8));
    }

    private static PyFacts.Function function(Map<String, TSNode> cap, byte[] utf8) {
        TSNode def = cap.get("def");
        List<String> decorators = new ArrayList<>();
        for (int i = 0; i < def.getNamedChildCount(); i++) {
            TSNode c = def.getNamedChild(i);
            if (c.getType().equals("decorator")) {
                decorators.add(text(c, utf8));
            }
        }
        List<String> params = new ArrayList<>();
        TSNode ps = cap.get("params");
        for (int i = 0; i < ps.getNamedChildCount(); i++) {
            params.add(text(ps.getNamedChild(i), utf8));
        }
        return new PyFacts.Function(line(def), text(cap.get("name"), utf8), decorators, params, text(def, utf8));
    }

    private static Expr expr(TSNode n, byte[] utf8) {
        return n == null || n.isNull() ? new Expr("none", "") : new Expr(n.getType(), text(n, utf8));
    }

    private static int line(TSNode n) {
        return n.getStartPoint().getRow() + 1;
    }

    /** Node positions are UTF-8 byte offsets, so slice the bytes, not the Java string. */
    private static String text(TSNode n, byte[] utf8) {
        if (n == null || n.isNull()) {
            return "";
        }
        int start = Math.max(0, n.getStartByte());
        int end = Math.min(utf8.length, n.getEndByte());
        return end <= start ? "" : new String(utf8, start, end - start, StandardCharsets.UTF_8);
    }
}
