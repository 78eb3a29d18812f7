package dev.emlab.model;

import java.util.List;

/**
 * One completion from a chat model.
 *
 * @param firstTokenTopLogprobs the alternatives for the first generated token, or null when the
 *     endpoint returned no logprobs (not asked for, or not supported)
 */
public record Completion(String text, String finishReason, List<TokenLogprob> firstTokenTopLogprobs) {
    public Completion {
        text = text == null ? "" : text;
        firstTokenTopLogprobs = firstTokenTopLogprobs == null ? null : List.copyOf(firstTokenTopLogprobs);
    }

    public boolean hasLogprobs() {
        return firstTokenTopLogprobs != null && !firstTokenTopLogprobs.isEmpty();
    }
}
