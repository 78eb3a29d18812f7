package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-79: templates without autoescaping, and HTML built from request data without escaping. */
public final class XssRule implements Rule {
    private static final Pattern ESCAPED = Pattern.compile("\\b(escape|html\\.escape|markupsafe\\.escape|bleach\\.clean|quote)\\s*\\(");
    private static final Pattern HTML = Pattern.compile("<\\s*/?\\s*[a-zA-Z]");

    @Override
    public String name() {
        return "xss";
    }

    @Override
    public String cwe() {
        return "CWE-79";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Call c : facts.calls()) {
            if (c.is("Environment", "jinja2.Environment", "Template", "jinja2.Template")) {
                Expr auto = c.kwargs().get("autoescape");
                // Jinja2's Environment escapes nothing by default; Template(...) only when told explicitly.
                if (auto != null && auto.isFalse() || auto == null && c.callee().endsWith("Environment")) {
                    out.add(finding(c.line(), c.callee() + " without autoescape renders variables as raw HTML"));
                }
            } else if (c.is("Markup", "markupsafe.Markup", "mark_safe", "SafeString", "render_template_string")) {
                Expr arg = c.arg(0, null);
                if (arg != null && !arg.isPlainString() && facts.isTainted(arg) && !ESCAPED.matcher(arg.text()).find()) {
                    out.add(finding(c.line(), c.callee() + " marks request data as safe HTML / template source"));
                }
            } else if (c.is("make_response", "HttpResponse", "HTMLResponse", "Response") && rawHtml(facts, c.arg(0, "content"))) {
                out.add(finding(c.line(), c.callee() + " returns HTML built from request data without escaping"));
            }
        }
        for (PyFacts.Return r : facts.returns()) {
            if (rawHtml(facts, r.value())) {
                out.add(finding(r.line(), "returns HTML built from request data without escaping"));
            }
        }
        return out;
    }

    private static boolean rawHtml(PyFacts facts, Expr e) {
        return e != null && e.isBuiltString() && HTML.matcher(e.text()).find() && facts.isTainted(e)
                && !ESCAPED.matcher(e.text()).find();
    }
}
