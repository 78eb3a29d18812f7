package dev.emlab.dataset;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Draws records until {@code n} distinct ones are kept or the attempt budget runs out. A draw that returns
 * null was rejected (by the analyzer check); an exact repeat of a kept record is dropped as a duplicate.
 */
final class RecordCollector {
    private RecordCollector() {}

    /** Attempt budget: generous, so a rich generator never stops short, but bounded for a poor one. */
    static int maxAttempts(int n) {
        return 20 * n + 200;
    }

    /** {@code draw} gets the number of records kept so far and returns a record, or null for a rejected draw. */
    static BuildResult collect(int n, IntFunction<ChatRecord> draw) {
        List<ChatRecord> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int attempts = 0;
        int rejected = 0;
        int duplicates = 0;
        int budget = maxAttempts(n);
        while (kept.size() < n && attempts < budget) {
            attempts++;
            ChatRecord r = draw.apply(kept.size());
            if (r == null) {
                rejected++;
            } else if (!seen.add(ChatJsonl.toLine(r))) {
                duplicates++;
            } else {
                kept.add(r);
            }
        }
        return new BuildResult(kept, n, attempts, rejected, duplicates);
    }
}
