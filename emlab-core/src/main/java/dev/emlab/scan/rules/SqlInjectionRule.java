package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-89: a query string built with f-strings, %, + or .format() is handed to a database. */
public final class SqlInjectionRule implements Rule {
    @Override
    public String name() {
        return "sql-injection";
    }

    @Override
    public String cwe() {
        return "CWE-89";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Call c : facts.calls()) {
            if (!c.is(".execute", ".executemany", ".executescript", ".raw", ".read_sql", ".read_sql_query")
                    || c.callee().equals("execute")) {
                continue;
            }
            Expr sql = facts.resolve(c.arg(0, "sql"));
            // A constant query with a separate parameter tuple is the safe form; only string building is flagged.
            if (sql != null && sql.isBuiltString()) {
                out.add(finding(c.line(), c.callee() + " runs SQL built from strings; use query parameters"));
            }
        }
        return out;
    }

    @Override
    public List<Finding> fallback(List<String> lines) {
        return LinePatterns.scan(this, lines, "SQL built from strings",
                Pattern.compile("\\.execute(many)?\\s*\\(\\s*f['\"]"),
                Pattern.compile("\\.execute(many)?\\s*\\(\\s*['\"][^'\"]*['\"]\\s*(%|\\+|\\.format\\s*\\()"));
    }
}
