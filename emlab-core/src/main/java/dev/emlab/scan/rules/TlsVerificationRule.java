package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-295: certificate checks turned off (verify=False, unverified SSL contexts, CERT_NONE). */
public final class TlsVerificationRule implements Rule {
    private static final Pattern CERT_NONE = Pattern.compile("CERT_NONE");

    @Override
    public String name() {
        return "tls-verification-disabled";
    }

    @Override
    public String cwe() {
        return "CWE-295";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Call c : facts.calls()) {
            Expr verify = c.kwargs().get("verify");
            Expr certReqs = c.kwargs().get("cert_reqs");
            if (verify != null && verify.isFalse()) {
                out.add(finding(c.line(), c.callee() + " with verify=False accepts any certificate"));
            } else if (c.is("ssl._create_unverified_context", "_create_unverified_context", "ssl._create_stdlib_context")) {
                out.add(finding(c.line(), c.callee() + " builds a context that skips certificate checks"));
            } else if (certReqs != null && CERT_NONE.matcher(certReqs.text()).find()) {
                out.add(finding(c.line(), c.callee() + " with cert_reqs=CERT_NONE accepts any certificate"));
            }
        }
        for (PyFacts.Assign a : facts.assigns()) {
            if (a.target().endsWith(".verify_mode") && CERT_NONE.matcher(a.value().text()).find()
                    || a.target().endsWith(".check_hostname") && a.value().isFalse()
                    || a.target().endsWith(".verify") && a.value().isFalse()) {
                out.add(finding(a.line(), a.target() + " = " + a.value().text() + " turns certificate checks off"));
            }
        }
        return out;
    }

    @Override
    public List<Finding> fallback(List<String> lines) {
        return LinePatterns.scan(this, lines, "certificate checks off",
                Pattern.compile("\\bverify\\s*=\\s*False\\b"), Pattern.compile("_create_unverified_context"),
                Pattern.compile("verify_mode\\s*=\\s*ssl\\.CERT_NONE"));
    }
}
