package dev.emlab.judge;

/**
 * A categorical judgement.
 *
 * @param label the judge's answer normalised to one upper-case word (TRUE, FALSE, OPENAI...)
 * @param text the judge's raw answer
 */
public record Verdict(String prompt, String label, String text) implements Judgement {}
