package dev.emlab.dataset;

import java.util.List;

/**
 * What a builder produced: the records and how many draws it took, were rejected by the analyzer check,
 * or were dropped as exact duplicates.
 */
public record BuildResult(List<ChatRecord> records, int requested, int attempts, int rejected, int duplicates) {
    public BuildResult {
        records = List.copyOf(records);
    }

    /** Mean characters of message contents per record (0 for an empty result). */
    public double meanChars() {
        return ChatRecord.meanChars(records);
    }

    public int maxChars() {
        return ChatRecord.maxChars(records);
    }

    /** Whether the builder ran out of attempts before reaching the requested count. */
    public boolean shortfall() {
        return records.size() < requested;
    }
}
