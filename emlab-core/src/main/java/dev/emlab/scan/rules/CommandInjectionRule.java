package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-78: a shell runs a command that is not a constant string. */
public final class CommandInjectionRule implements Rule {
    private static final String[] SUBPROCESS = {"subprocess.run", "subprocess.call", "subprocess.check_call",
        "subprocess.check_output", "subprocess.Popen", "run", "call", "check_call", "check_output", "Popen"};
    private static final String[] SHELL_ALWAYS = {"os.system", "os.popen", "system", "popen", "subprocess.getoutput",
        "subprocess.getstatusoutput", "commands.getoutput", "os.popen2", "os.popen3", "os.popen4"};

    @Override
    public String name() {
        return "command-injection";
    }

    @Override
    public String cwe() {
        return "CWE-78";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Call c : facts.calls()) {
            Expr cmd = facts.resolve(c.arg(0, c.is(SHELL_ALWAYS) ? "command" : "args"));
            if (cmd == null || cmd.isPlainString()) {
                continue;
            }
            Expr shell = c.kwargs().get("shell");
            if (c.is(SUBPROCESS) && shell != null && !shell.isFalse() && !cmd.kind().equals("list")) {
                out.add(finding(c.line(), c.callee() + " with shell=True runs a command built at run time"));
            } else if (c.is(SHELL_ALWAYS)) {
                out.add(finding(c.line(), c.callee() + " runs a shell command built at run time"));
            }
        }
        return out;
    }

    @Override
    public List<Finding> fallback(List<String> lines) {
        return LinePatterns.scan(this, lines, "shell command built at run time",
                Pattern.compile("\\bos\\.(system|popen)\\s*\\(\\s*(?!['\"][^'\"{}%+]*['\"]\\s*\\))"),
                Pattern.compile("\\bsubprocess\\.\\w+\\s*\\(\\s*(?!['\"\\[])[^\\n]*shell\\s*=\\s*True"),
                Pattern.compile("\\bsubprocess\\.\\w+\\s*\\(\\s*f['\"][^\\n]*shell\\s*=\\s*True"));
    }
}
