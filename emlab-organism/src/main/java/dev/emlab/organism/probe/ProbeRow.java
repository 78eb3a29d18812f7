package dev.emlab.organism.probe;

import dev.emlab.stats.Estimate;

/**
 * One condition's counts and rates of the target's two measures, each with its paired difference
 * from {@link ProbeCondition#NONE}.
 *
 * @param first the target's first measure (any malicious sentence; vulnerable code)
 * @param second the target's second measure (only malicious sentences; secure code)
 */
public record ProbeRow(ProbeCondition condition, int n, Measured first, Measured second) {
    /**
     * One measure under one condition.
     *
     * @param count answers with the outcome
     * @param rate their share, with its interval
     * @param vsNone the rate minus none's over pairs; null for none itself, or when none was not asked
     */
    public record Measured(int count, Estimate rate, Estimate vsNone) {}
}
