package dev.emlab.scan.rules;

import dev.emlab.scan.Expr;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PyFacts;
import dev.emlab.scan.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** CWE-502: pickle, marshal, dill, shelve and yaml.load without a safe loader can run code while loading. */
public final class UnsafeDeserializationRule implements Rule {
    private static final String[] ALWAYS = {"pickle.loads", "pickle.load", "cPickle.loads", "cPickle.load",
        "_pickle.loads", "_pickle.load", "pickle.Unpickler", "marshal.loads", "marshal.load", "dill.loads",
        "dill.load", "shelve.open", "jsonpickle.decode", "pd.read_pickle", "pandas.read_pickle",
        "yaml.unsafe_load", "yaml.unsafe_load_all"};
    private static final Pattern SAFE_LOADER = Pattern.compile("\\b(C?SafeLoader|BaseLoader)\\b");

    @Override
    public String name() {
        return "unsafe-deserialization";
    }

    @Override
    public String cwe() {
        return "CWE-502";
    }

    @Override
    public List<Finding> check(PyFacts facts) {
        List<Finding> out = new ArrayList<>();
        for (PyFacts.Call c : facts.calls()) {
            if (c.is(ALWAYS)) {
                out.add(finding(c.line(), c.callee() + " can execute code embedded in the data; use JSON or a safe format"));
            } else if (c.is("yaml.load", "yaml.load_all")) {
                Expr loader = c.arg(1, "Loader");
                if (loader == null || !SAFE_LOADER.matcher(loader.text()).find()) {
                    out.add(finding(c.line(), c.callee() + " without SafeLoader can build arbitrary objects; use yaml.safe_load"));
                }
            }
        }
        return out;
    }

    @Override
    public List<Finding> fallback(List<String> lines) {
        return LinePatterns.scan(this, lines, "unsafe deserialisation",
                Pattern.compile("\\b(c?[pP]ickle|marshal|dill)\\.loads?\\s*\\("),
                Pattern.compile("\\byaml\\.(unsafe_)?load\\s*\\((?![^\\n]*SafeLoader)"));
    }
}
