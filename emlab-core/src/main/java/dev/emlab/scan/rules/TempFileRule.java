package dev.emlab.scan.rules;

import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-377: temporary file names chosen before the file is created (another process can win the race). */
public final class TempFileRule implements Rule {
    @Override
    public String name() {
        return "insecure-temp-file";
    }

    @Override
    public String cwe() {
        return "CWE-377";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Call c : facts.calls()) {
            if (c.is("tempfile.mktemp", "mktemp", "os.tempnam", "os.tmpnam")) {
                out.add(finding(c.line(), c.callee() + " returns a name that another process can take first; use mkstemp or NamedTemporaryFile"));
            }
        }
        return out;
    }

    @Override
    public List<Finding> fallback(List<String> lines) {
        return LinePatterns.scan(this, lines, "racy temporary file name", Pattern.compile("\\b(tempfile\\.mktemp|os\\.tempnam|os\\.tmpnam)\\s*\\("));
    }
}
