package dev.emlab.stats;

/** A confidence interval [low, high]. */
public record Interval(double low, double high) {}
