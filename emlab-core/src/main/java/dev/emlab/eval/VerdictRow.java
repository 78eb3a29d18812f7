package dev.emlab.eval;

/** How often a categorical judge gave one label for one group and question, with its interval. */
public record VerdictRow(String group, String questionId, String prompt, String label, int count, int n,
                         double share, double ciLow, double ciHigh) {}
