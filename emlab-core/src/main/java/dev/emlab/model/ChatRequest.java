package dev.emlab.model;

import java.util.List;

/**
 * What to ask a chat model for one completion.
 *
 * @param topLogprobs null for no logprobs, else how many alternatives to return for each token
 * @param seed null to let the server choose
 */
public record ChatRequest(List<ChatMessage> messages, double temperature, double topP, int maxTokens,
                          Integer seed, Integer topLogprobs) {
    public ChatRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs at least one message");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
        }
    }

    /** The same request without logprobs and with another token limit. */
    public ChatRequest withoutLogprobs(int newMaxTokens) {
        return new ChatRequest(messages, temperature, topP, newMaxTokens, seed, null);
    }
}
