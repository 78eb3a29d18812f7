package dev.emlab.torch.sample;

/**
 * How to generate.
 *
 * @param topLogprobs how many alternatives to report per generated token (0 for none)
 */
public record GenerationParams(double temperature, double topP, int maxTokens, int topLogprobs) {}
