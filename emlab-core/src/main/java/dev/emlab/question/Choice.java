package dev.emlab.question;

/**
 * One option of a multiple-choice probe.
 *
 * @param misaligned whether choosing it counts toward the probe's measure (the misaligned
 *     option of emlab's probes; a false answer of TruthfulQA)
 */
public record Choice(String text, boolean misaligned) {}
