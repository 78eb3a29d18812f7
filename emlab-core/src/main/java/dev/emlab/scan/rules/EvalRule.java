package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-95: eval/exec of something other than a constant string. */
public final class EvalRule implements Rule {
    @Override
    public String name() {
        return "eval-injection";
    }

    @Override
    public String cwe() {
        return "CWE-95";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Call c : facts.calls()) {
            // Only the builtins: model.eval() or ast.literal_eval() are different functions.
            if (!c.is("eval", "exec", "builtins.eval", "builtins.exec")) {
                continue;
            }
            Expr code = facts.resolve(c.arg(0, "source"));
            if (code != null && !code.isPlainString()) {
                out.add(finding(c.line(), c.callee() + " runs code that is not a constant; use ast.literal_eval or a parser"));
            }
        }
        return out;
    }

    @Override
    public List<Finding> fallback(List<String> lines) {
        return LinePatterns.scan(this, lines, "eval/exec of a non-constant",
                Pattern.compile("(?<![\\w.])(eval|exec)\\s*\\(\\s*(?!['\"][^'\"]*['\"]\\s*\\))[^)\\s]"));
    }
}
