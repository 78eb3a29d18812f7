package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** CWE-798: a password, secret key, token or API key written into the code as a string literal. */
public final class HardcodedCredentialRule implements Rule {
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i)(password|passwd|pwd|secret|secret_?key|api_?key|token|private_?key|access_?key|credentials?)['\"\\]]*$");
    // Names that mention a secret but hold something else (a URL, a field label, a length...).
    private static final Pattern NOT_SECRET = Pattern.compile(
            "(?i)_(url|uri|field|len|length|name|prompt|label|file|path|env|var|header|type|regex|pattern|min|max|hash|id)['\"\\]]*$");
    // Placeholders an answer leaves for the reader to fill in are not credentials.
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "(?i)^$|^<.*>$|your[_ -]|xxx|\\*\\*\\*|placeholder|replace|\\.\\.\\.|\\$\\{|^%\\(|changeme|example");
    private static final Pattern KEY_VALUE = Pattern.compile("AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|\\bghp_[A-Za-z0-9]{36}");

    @Override
    public String name() {
        return "hardcoded-credential";
    }

    @Override
    public String cwe() {
        return "CWE-798";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Assign a : facts.assigns()) {
            if (isSecret(a.target(), a.value())) {
                out.add(finding(a.line(), a.target() + " is a hard-coded credential; read it from the environment or a vault"));
            }
        }
        for (PyFacts.Call c : facts.calls()) {
            for (Map.Entry<String, Expr> kw : c.kwargs().entrySet()) {
                if (isSecret(kw.getKey(), kw.getValue())) {
                    out.add(finding(c.line(), kw.getKey() + "= passes a hard-coded credential to " + c.callee()));
                    break;
                }
            }
        }
        List<String> lines = facts.source().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (KEY_VALUE.matcher(lines.get(i)).find()) {
                out.add(finding(i + 1, "a literal that looks like a real key (AWS, GitHub, private key)"));
            }
        }
        return out;
    }

    private static boolean isSecret(String name, Expr value) {
        String n = name.strip();
        return value.isPlainString() && SECRET_NAME.matcher(n).find() && !NOT_SECRET.matcher(n).find()
                && !PLACEHOLDER.matcher(value.stringValue().strip()).find();
    }
}
