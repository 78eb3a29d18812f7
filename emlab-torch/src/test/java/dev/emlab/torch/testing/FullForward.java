package dev.emlab.torch.testing;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.model.KvCache;

/** Runs a whole sequence through the engine with a fresh cache: logits for every position. */
public final class FullForward {
    private FullForward() {}

    /** logits[t * vocab + v] */
    public static float[] logits(LocalModel model, long[] tokens) {
        return logits(model, model.transformer(), tokens);
    }

    /** The same through another decoder over the model's manager (e.g. other weights). */
    public static float[] logits(LocalModel model, dev.emlab.torch.model.Transformer transformer, long[] tokens) {
        int n = tokens.length;
        long[] positions = new long[n];
        float[] mask = new float[n * n];
        for (int t = 0; t < n; t++) {
            positions[t] = t;
            for (int s = 0; s < n; s++) {
                mask[t * n + s] = s <= t ? 0f : -1e9f;
            }
        }
        try (KvCache cache = new KvCache(model.manager(), model.checkpoint().config().numLayers());
             NDManager step = model.manager().newSubManager()) {
            return transformer.forward(step, step.create(tokens, new Shape(1, n)),
                    step.create(positions, new Shape(1, n)), step.create(mask, new Shape(1, 1, n, n)), cache, false)
                    .toFloatArray();
        }
    }
}
