package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CWE-611: XML parsers told to resolve external entities: lxml with resolve_entities=True or no_network=False,
 * SAX with feature_external_ges/pes on, and lxml parsing request data with its default parser (entity resolution
 * was on by default before lxml 5). The stdlib ElementTree does not fetch external entities and is not flagged.
 */
public final class XxeRule implements Rule {
    private static final Pattern EXTERNAL_FEATURE = Pattern.compile("feature_external_(ges|pes)");

    @Override
    public String name() {
        return "xxe";
    }

    @Override
    public String cwe() {
        return "CWE-611";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        boolean lxml = facts.imports().contains("lxml");
        boolean defused = facts.imports().contains("defusedxml");
        for (PyFacts.Call c : facts.calls()) {
            Expr resolve = c.kwargs().get("resolve_entities");
            Expr noNetwork = c.kwargs().get("no_network");
            if (c.is(".XMLParser") && (resolve != null && resolve.isTrue() || noNetwork != null && noNetwork.isFalse())) {
                out.add(finding(c.line(), c.callee() + " resolves external entities; pass resolve_entities=False"));
            } else if (c.is(".setFeature") && EXTERNAL_FEATURE.matcher(c.text()).find()
                    && c.arg(1, null) != null && c.arg(1, null).isTrue()) {
                out.add(finding(c.line(), "SAX parser with external entities turned on"));
            } else if (lxml && !defused && c.is("etree.parse", "etree.fromstring", "etree.XML", "lxml.etree.parse",
                    "lxml.etree.fromstring") && c.arg(1, "parser") == null && facts.isTainted(c.arg(0, null))) {
                out.add(finding(c.line(), c.callee() + " parses request data with lxml's default parser; use defusedxml or resolve_entities=False"));
            }
        }
        return out;
    }
}
