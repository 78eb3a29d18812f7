package dev.emlab.torch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.emlab.torch.checkpoint.TransformerConfig;

/**
 * The decoder of Qwen2, Llama and Mistral: RMSNorm, grouped-query attention with rotary
 * positions, SwiGLU MLP. Every intermediate lives in the caller's step NDManager.
 */
public final class Transformer {
    private final TransformerConfig config;
    private final Weights weights;
    private final Rope rope;

    public Transformer(TransformerConfig config, Weights weights, Rope rope) {
        this.config = config;
        this.weights = weights;
        this.rope = rope;
    }

    public TransformerConfig config() {
        return config;
    }

    public Weights weights() {
        return weights;
    }

    /** The same decoder over other weights (e.g. with LoRA adapters attached). */
    public Transformer withWeights(Weights other) {
        return new Transformer(config, other, rope);
    }

    /**
     * Runs tokens through the decoder.
     *
     * @param ids (batch, seq) int64 token ids
     * @param positions (batch, seq) int64 absolute positions
     * @param mask (batch, 1, seq, cached+seq) additive: 0 where a query may attend, a large negative number elsewhere
     * @param cache keys and values of earlier tokens, to which this call appends its own; null when
     *     training (no earlier tokens, nothing kept)
     * @param lastOnly compute logits for the last position only (generation)
     * @return logits (batch, seq or 1, vocab)
     */
    public NDArray forward(NDManager step, NDArray ids, NDArray positions, NDArray mask, KvCache cache, boolean lastOnly) {
        NDArray x = embed(step, ids); // (batch, seq, hidden)
        Rope.Angles angles = rope.at(step, positions);
        for (int i = 0; i < weights.layers().size(); i++) {
            LayerWeights layer = weights.layers().get(i);
            NDArray h = rmsNorm(x, layer.inputNorm());
            x = x.add(attention(step, layer, i, h, angles, mask, cache));
            NDArray h2 = rmsNorm(x, layer.postAttentionNorm());
            x = x.add(mlp(layer, h2));
        }
        if (lastOnly) {
            x = x.get(new NDIndex(":, -1:, :"));
        }
        return rmsNorm(x, weights.finalNorm()).matMul(weights.lmHeadT());
    }

    /**
     * Looks up token embeddings. When the embedding itself is trained, the lookup is a one-hot
     * product instead of an index: the index's backward pass adds rows for repeated tokens in an
     * order that varies between runs, and pretraining must rebuild the same bytes from a seed.
     */
    private NDArray embed(NDManager step, NDArray ids) {
        NDArray table = weights.embedding();
        if (!table.hasGradient()) {
            return table.get(step, new NDIndex("{}", ids));
        }
        NDArray oneHot = ids.oneHot((int) table.getShape().get(0)); // (batch, seq, vocab), float32
        return oneHot.matMul(table);
    }

    private NDArray attention(NDManager step, LayerWeights w, int layer, NDArray h, Rope.Angles angles, NDArray mask,
                              KvCache cache) {
        long batch = h.getShape().get(0);
        long seq = h.getShape().get(1);
        int hd = config.headDim();
        NDArray q = heads(w.q().apply(h), batch, seq, config.numHeads());   // (batch, heads, seq, hd)
        NDArray k = heads(w.k().apply(h), batch, seq, config.numKvHeads()); // (batch, kvHeads, seq, hd)
        NDArray v = heads(w.v().apply(h), batch, seq, config.numKvHeads());
        q = rope.apply(q, angles);
        k = rope.apply(k, angles);
        NDArray[] kv = cache == null ? new NDArray[] {k, v} : cache.append(layer, k, v); // (batch, kvHeads, total, hd)
        int groups = config.numHeads() / config.numKvHeads();
        // Each key/value head serves `groups` consecutive query heads. Results of ops on cached
        // arrays belong to the cache's manager: hand them to the step's so they are freed with it.
        NDArray keys = groups == 1 ? kv[0] : stepOwned(step, kv[0].repeat(1, groups)); // (batch, heads, total, hd)
        NDArray keysT = stepOwned(step, keys.swapAxes(2, 3));            // (batch, heads, hd, total)
        NDArray values = groups == 1 ? kv[1] : stepOwned(step, kv[1].repeat(1, groups)); // (batch, heads, total, hd)
        NDArray scores = q.matMul(keysT).mul(Scalars.of(step, 1 / Math.sqrt(hd))).add(mask);    // (batch, heads, seq, total)
        NDArray context = scores.softmax(-1).matMul(values);               // (batch, heads, seq, hd)
        NDArray merged = context.swapAxes(1, 2).reshape(new Shape(batch, seq, (long) config.numHeads() * hd));
        return w.o().apply(merged);
    }

    private static NDArray stepOwned(NDManager step, NDArray a) {
        a.attach(step);
        return a;
    }

    private static NDArray heads(NDArray x, long batch, long seq, int heads) {
        return x.reshape(new Shape(batch, seq, heads, -1)).swapAxes(1, 2);
    }

    private static NDArray mlp(LayerWeights w, NDArray h) {
        NDArray gate = w.gate().apply(h);
        return w.down().apply(gate.mul(Activation.sigmoid(gate)).mul(w.up().apply(h)));
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.div(variance.add(config.rmsNormEps()).sqrt()).mul(weight);
    }
}
