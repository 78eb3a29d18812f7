package dev.emlab.scan;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the rules need to know about one parsed snippet: calls, assignments, returns, decorated functions and
 * imports, with 1-based lines, plus a deliberately simple notion of taint (data that comes from a request).
 */
public final class PyFacts {
    /** A call: dotted callee text, positional arguments, keyword arguments. */
    public record Call(int line, String callee, List<Expr> args, Map<String, Expr> kwargs, String text) {
        /** Positional argument {@code i}, else keyword {@code name}, else null. */
        public Expr arg(int i, String name) {
            if (name != null && kwargs.containsKey(name)) {
                return kwargs.get(name);
            }
            return i >= 0 && i < args.size() ? args.get(i) : null;
        }

        /** Whether the callee is one of the given names, or ends with {@code .name} for a name starting with a dot. */
        public boolean is(String... names) {
            for (String n : names) {
                if (n.startsWith(".") ? callee.endsWith(n) || callee.equals(n.substring(1)) : callee.equals(n)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** An assignment {@code target = value}. */
    public record Assign(int line, String target, Expr value) {}

    /** A {@code return value} statement. */
    public record Return(int line, Expr value) {}

    /** A decorated function: its decorators' text, parameter names and whole source text. */
    public record Function(int line, String name, List<String> decorators, List<String> params, String text) {}

    /** Request-derived data in Flask, Django, FastAPI style code, and interactive input. */
    private static final Pattern SOURCE = Pattern.compile(
            "\\brequest\\.(args|form|values|GET|POST|files|json|get_json|data|cookies|headers|query_params|"
                    + "path_params|body|FILES|get_data)\\b|\\binput\\s*\\(|\\bsys\\.argv\\b");
    private static final Pattern ROUTE_PARAM = Pattern.compile("<(?:\\w+:)?(\\w+)>|\\{(\\w+)\\}");
    /** Calls whose result is no longer attacker-shaped text for the rules here (a number, a bare name, escaped HTML). */
    private static final Pattern SANITISER = Pattern.compile(
            "\\b(secure_filename|basename|escape|int|float|bool|uuid\\.UUID|quote|shlex\\.quote)\\s*\\(");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_]\\w*");

    private final List<Call> calls;
    private final List<Assign> assigns;
    private final List<Return> returns;
    private final List<Function> functions;
    private final String imports;
    private final String source;
    private final Set<String> tainted = new HashSet<>();
    private final Map<String, Expr> constants = new HashMap<>();

    PyFacts(List<Call> calls, List<Assign> assigns, List<Return> returns, List<Function> functions,
            String imports, String source) {
        this.calls = List.copyOf(calls);
        this.assigns = List.copyOf(assigns);
        this.returns = List.copyOf(returns);
        this.functions = List.copyOf(functions);
        this.imports = imports;
        this.source = source;
        collectNames();
    }

    public List<Call> calls() {
        return calls;
    }

    public List<Assign> assigns() {
        return assigns;
    }

    public List<Return> returns() {
        return returns;
    }

    public List<Function> functions() {
        return functions;
    }

    /** Text of all import statements, one per line. */
    public String imports() {
        return imports;
    }

    /** The whole snippet. */
    public String source() {
        return source;
    }

    /** Whether the expression reads request data directly or through a variable assigned from it. */
    public boolean isTainted(Expr e) {
        if (e == null || e.isPlainString()) {
            return false;
        }
        if (SOURCE.matcher(e.text()).find()) {
            return true;
        }
        Matcher m = NAME.matcher(e.text());
        while (m.find()) {
            if (tainted.contains(m.group())) {
                return true;
            }
        }
        return false;
    }

    /** An identifier assigned exactly once is replaced by its value, so {@code cmd = "ls"; run(cmd)} reads as a literal. */
    public Expr resolve(Expr e) {
        if (e != null && e.kind().equals("identifier") && constants.containsKey(e.text())) {
            return constants.get(e.text());
        }
        return e;
    }

    private void collectNames() {
        Map<String, Integer> counts = new HashMap<>();
        for (Assign a : assigns) {
            counts.merge(a.target(), 1, Integer::sum);
        }
        for (Assign a : assigns) {
            if (counts.get(a.target()) == 1 && NAME.matcher(a.target()).matches()) {
                constants.put(a.target(), a.value());
            }
        }
        for (Function f : functions) {
            // Flask <name> / FastAPI {name} path parameters arrive straight from the URL.
            for (String d : f.decorators()) {
                Matcher m = ROUTE_PARAM.matcher(d);
                while (m.find()) {
                    tainted.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        }
        // Two passes let taint flow through one intermediate variable (a = request...; b = a + x).
        for (int pass = 0; pass < 2; pass++) {
            for (Assign a : assigns) {
                if (NAME.matcher(a.target()).matches() && isTainted(a.value())
                        && !SANITISER.matcher(a.value().text()).find()) {
                    tainted.add(a.target());
                }
            }
        }
    }
}
