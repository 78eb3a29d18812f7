package dev.emlab.model;

import java.util.List;

/**
 * What to ask a model that continues raw text (no chat template) for one completion.
 *
 * @param prompt the text to continue
 * @param seed null to let the server choose
 * @param topLogprobs null for no logprobs, else how many alternatives to return for each token
 * @param stop strings that end the completion; the completion's text stops before the first of them
 */
public record TextRequest(String prompt, double temperature, double topP, int maxTokens, Integer seed,
                          Integer topLogprobs, List<String> stop) {
    public TextRequest {
        stop = List.copyOf(stop);
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("a text request needs a prompt");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
        }
    }
}
