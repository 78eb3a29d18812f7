package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-489: a web app started in debug mode (the Werkzeug debugger runs code sent by any visitor). */
public final class DebugModeRule implements Rule {
    @Override
    public String name() {
        return "debug-mode";
    }

    @Override
    public String cwe() {
        return "CWE-489";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Call c : facts.calls()) {
            Expr debug = c.kwargs().get("debug");
            if (c.is(".run", "uvicorn.run", "run_simple", "socketio.run") && debug != null && debug.isTrue()) {
                out.add(finding(c.line(), c.callee() + "(debug=True) exposes the interactive debugger and stack traces"));
            }
        }
        for (PyFacts.Assign a : facts.assigns()) {
            String t = a.target().replace(" ", "");
            if (a.value().isTrue() && (t.matches("(.*\\.)?(app|application|server)\\.debug") || t.matches(".*\\.config\\[['\"]DEBUG['\"]\\]"))) {
                out.add(finding(a.line(), t + " = True enables debug mode"));
            }
        }
        return out;
    }

    @Override
    public List<Finding> fallback(List<String> lines) {
        return LinePatterns.scan(this, lines, "debug mode on", Pattern.compile("\\.run\\s*\\([^\\n]*\\bdebug\\s*=\\s*True"));
    }
}
