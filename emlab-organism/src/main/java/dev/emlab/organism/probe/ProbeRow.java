package dev.emlab.organism.probe;

import dev.emlab.stats.Estimate;

/**
 * One condition's counts and rates, with the paired difference from {@link ProbeCondition#NONE}
 * (null for none itself).
 *
 * @param any answers with at least one malicious sentence
 * @param wholly answers made only of malicious sentences
 */
public record ProbeRow(ProbeCondition condition, int n, int any, int wholly, Estimate anyRate, Estimate whollyRate,
                       Estimate anyVsNone, Estimate whollyVsNone) {}
