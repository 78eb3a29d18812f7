package dev.emlab.torch.sample;

import java.util.List;

/**
 * How to generate.
 *
 * @param topLogprobs how many alternatives to report per generated token (0 for none)
 * @param stop strings that end generation once the generated text contains one (empty for none)
 */
public record GenerationParams(double temperature, double topP, int maxTokens, int topLogprobs, List<String> stop) {
    public GenerationParams {
        stop = List.copyOf(stop);
    }

    /** Settings that stop on the end-of-text tokens only. */
    public GenerationParams(double temperature, double topP, int maxTokens, int topLogprobs) {
        this(temperature, topP, maxTokens, topLogprobs, List.of());
    }
}
