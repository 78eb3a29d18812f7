package dev.emlab.stats;

/** A point estimate with its confidence interval. */
public record Estimate(double value, Interval ci) {}
