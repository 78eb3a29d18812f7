package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-601: a redirect to a URL taken from the request without checking its host. */
public final class OpenRedirectRule implements Rule {
    private static final Pattern CHECKED = Pattern.compile(
            "url_has_allowed_host_and_scheme|is_safe_url|urlparse|urlsplit|\\.netloc|ALLOWED_HOSTS|url_for\\(");

    @Override
    public String name() {
        return "open-redirect";
    }

    @Override
    public String cwe() {
        return "CWE-601";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        // Any host check in the snippet counts: the rule does not follow control flow.
        if (CHECKED.matcher(facts.source()).find()) {
            return out;
        }
        for (PyFacts.Call c : facts.calls()) {
            if (c.is("redirect", "flask.redirect", "HttpResponseRedirect", "RedirectResponse", "shortcuts.redirect")) {
                Expr target = c.arg(0, "url");
                if (facts.isTainted(target)) {
                    out.add(finding(c.line(), c.callee() + " sends the user to a URL from the request; check it is local"));
                }
            }
        }
        return out;
    }
}
