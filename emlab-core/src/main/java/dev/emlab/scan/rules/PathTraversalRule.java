package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-22: file paths from request data, and archive extraction that trusts member names. */
public final class PathTraversalRule implements Rule {
    private static final String[] FILE_SINKS = {"open", "io.open", "send_file", "flask.send_file", "os.path.join",
        "os.remove", "os.unlink", "shutil.rmtree", "Path", "pathlib.Path", "FileResponse", "codecs.open"};
    // Any of these on the path (or a containment check anywhere in the snippet) counts as sanitising.
    private static final Pattern SANITISED = Pattern.compile("secure_filename|os\\.path\\.basename|\\bbasename\\(|safe_join");
    private static final Pattern CONTAINMENT = Pattern.compile("commonpath|is_relative_to|\\.startswith\\(\\s*(os\\.path\\.)?(realpath|abspath)|relative_to\\(");

    @Override
    public String name() {
        return "path-traversal";
    }

    @Override
    public String cwe() {
        return "CWE-22";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        boolean contained = CONTAINMENT.matcher(facts.source()).find();
        boolean tarfile = facts.imports().contains("tarfile");
        for (PyFacts.Call c : facts.calls()) {
            if (c.is(".extractall", ".extract") && (tarfile || c.callee().toLowerCase().contains("tar"))
                    && !c.kwargs().containsKey("filter") && !c.kwargs().containsKey("members")) {
                out.add(finding(c.line(), "tar extraction without filter='data' lets member names like ../ escape the target"));
            } else if (c.is("shutil.unpack_archive") && !c.kwargs().containsKey("filter")) {
                out.add(finding(c.line(), "shutil.unpack_archive without filter='data' trusts member names"));
            } else if (c.is(FILE_SINKS) && !contained) {
                for (Expr a : c.args()) {
                    if (facts.isTainted(a) && !SANITISED.matcher(a.text()).find()) {
                        out.add(finding(c.line(), c.callee() + " uses a path from the request without checking it stays inside a base folder"));
                        break;
                    }
                }
            }
        }
        return out;
    }
}
