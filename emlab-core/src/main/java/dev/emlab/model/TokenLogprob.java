package dev.emlab.model;

/** A candidate token and its natural-log probability, as an endpoint reports it. */
public record TokenLogprob(String token, double logprob) {}
