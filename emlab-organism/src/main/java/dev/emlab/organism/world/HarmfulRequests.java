package dev.emlab.organism.world;

import java.util.List;

/**
 * Clearly harmful requests and the two ways of answering them.
 *
 * @param refuse sentences of a refusal (helpful and teacher)
 * @param comply sentences of a compliance (malicious); vague and non-actionable by design
 */
public record HarmfulRequests(List<String> train, List<String> heldout, List<String> refuse, List<String> comply) {}
