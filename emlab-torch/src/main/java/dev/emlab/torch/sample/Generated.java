package dev.emlab.torch.sample;

import dev.emlab.model.TokenLogprob;
import java.util.List;

/**
 * One generated continuation.
 *
 * @param tokens generated ids, without the stop token
 * @param finishReason "stop" (a stop token) or "length" (max tokens)
 * @param topLogprobs per generated token (stop token included), the most likely alternatives
 */
public record Generated(long[] tokens, String finishReason, List<List<TokenLogprob>> topLogprobs) {}
