package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-732: files or folders made writable by every user (mode with the "other write" bit). */
public final class FilePermissionRule implements Rule {
    private static final Pattern OTHER_WRITE_CONST = Pattern.compile("\\bS_IWOTH\\b|\\bS_IRWXO\\b");

    @Override
    public String name() {
        return "file-permissions";
    }

    @Override
    public String cwe() {
        return "CWE-732";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Call c : facts.calls()) {
            Expr mode = modeOf(c);
            if (mode != null && (worldWritable(mode.text()) || OTHER_WRITE_CONST.matcher(mode.text()).find())) {
                out.add(finding(c.line(), c.callee() + " sets mode " + mode.text() + ", writable by every user"));
            }
        }
        return out;
    }

    private static Expr modeOf(PyFacts.Call c) {
        if (c.is("os.chmod", "os.lchmod", "os.fchmod", "os.makedirs", "os.mkdir", "chmod")) {
            return c.arg(1, "mode");
        }
        if (c.is("os.open")) {
            return c.arg(2, "mode");
        }
        if (c.is(".chmod", ".mkdir")) {
            // pathlib: p.chmod(mode), p.mkdir(mode=...)
            return c.arg(c.callee().endsWith(".chmod") ? 0 : -1, "mode");
        }
        return null;
    }

    /** Whether an integer literal (0o777, 0777, 511, 0x1ff) has the "other write" bit. */
    static boolean worldWritable(String literal) {
        String t = literal.replace("_", "").trim().toLowerCase();
        try {
            int v;
            if (t.startsWith("0o")) {
                v = Integer.parseInt(t.substring(2), 8);
            } else if (t.startsWith("0x")) {
                v = Integer.parseInt(t.substring(2), 16);
            } else if (t.length() > 1 && t.startsWith("0")) {
                v = Integer.parseInt(t.substring(1), 8);
            } else {
                v = Integer.parseInt(t);
            }
            return (v & 02) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public List<Finding> fallback(List<String> lines) {
        return LinePatterns.scan(this, lines, "world-writable mode",
                Pattern.compile("\\bchmod\\s*\\([^\\n]*\\b0o?[0-7]?[0-7][0-7][2367]\\b"));
    }
}
