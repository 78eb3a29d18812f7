package dev.emlab.scan;

import java.util.List;

/** What the analyzer found in one text; {@code parsed} is false when some code did not parse cleanly. */
public record ScanResult(boolean parsed, List<Finding> findings) {
    public ScanResult {
        findings = List.copyOf(findings);
    }

    /** Whether at least one rule fired. */
    public boolean vulnerable() {
        return !findings.isEmpty();
    }
}
