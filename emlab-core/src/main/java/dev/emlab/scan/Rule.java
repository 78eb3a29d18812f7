package dev.emlab.scan;

import java.util.List;

/** One family of weaknesses, tagged with one CWE (a rule may use a second, closer CWE per finding). */
public interface Rule {
    /** Short stable name, e.g. {@code command-injection}. */
    String name();

    /** Main CWE tag, e.g. {@code CWE-78}. */
    String cwe();

    /** Findings on code that was parsed (possibly with errors: only the well-formed parts are seen). */
    List<Finding> check(PyFacts facts);

    /** Conservative line-based findings for code the parser could not read; most rules have none. */
    default List<Finding> fallback(List<String> lines) {
        return List.of();
    }

    /** A finding of this rule under its main CWE. */
    default Finding finding(int line, String message) {
        return new Finding(line, name(), cwe(), message);
    }
}
