package dev.emlab.torch.model;

import ai.djl.ndarray.NDArray;

/**
 * One decoder layer's weights.
 *
 * @param inputNorm (hidden)
 * @param postAttentionNorm (hidden)
 */
public record LayerWeights(NDArray inputNorm, Linear q, Linear k, Linear v, Linear o,
                           NDArray postAttentionNorm, Linear gate, Linear up, Linear down) {}
