package dev.emlab.torch.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.emlab.torch.model.Transformer;
import java.util.List;

/**
 * Teacher-forced log-likelihood: how probable a model finds a given continuation of a prompt.
 * It reads what a model thinks of text it did not write, without the noise of sampling.
 */
public final class Scorer {
    private final Transformer model;
    private final NDManager manager;

    public Scorer(Transformer model, NDManager manager) {
        this.model = model;
        this.manager = manager;
    }

    /**
     * For each row, the sum over the continuation's tokens of log p(token | the prompt and the
     * continuation's tokens before it), in nats. The rows run as one right-padded batch: padding
     * comes after every real token, so the causal mask alone keeps it out of their attention.
     */
    public double[] logLikelihood(List<long[]> prompts, List<long[]> continuations) {
        if (prompts.size() != continuations.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("one continuation per prompt, at least one: " + prompts.size() + " and "
                    + continuations.size());
        }
        int rows = prompts.size();
        int len = 0;
        for (int b = 0; b < rows; b++) {
            if (prompts.get(b).length == 0 || continuations.get(b).length == 0) {
                throw new IllegalArgumentException("row " + b + ": the prompt and the continuation need a token each");
            }
            len = Math.max(len, prompts.get(b).length + continuations.get(b).length - 1);
        }
        long[] inputs = new long[rows * len];
        long[] targets = new long[rows * len];
        float[] weights = new float[rows * len];
        long[] positions = new long[rows * len];
        for (int b = 0; b < rows; b++) {
            long[] p = prompts.get(b);
            long[] c = continuations.get(b);
            int n = p.length + c.length;
            for (int t = 0; t < len; t++) {
                int i = b * len + t;
                positions[i] = t;
                if (t + 1 < n) {
                    inputs[i] = t < p.length ? p[t] : c[t - p.length];
                    int next = t + 1;
                    targets[i] = next < p.length ? p[next] : c[next - p.length];
                    weights[i] = next >= p.length ? 1f : 0f;
                }
            }
        }
        float[] mask = new float[len * len];
        for (int t = 0; t < len; t++) {
            for (int s = t + 1; s < len; s++) {
                mask[t * len + s] = -1e9f;
            }
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray logits = model.forward(step, step.create(inputs, new Shape(rows, len)),
                    step.create(positions, new Shape(rows, len)), step.create(mask, new Shape(1, 1, len, len)), null, false);
            NDArray picked = logits.logSoftmax(-1).gather(step.create(targets, new Shape(rows, len, 1)), -1).squeeze(-1);
            float[] sums = picked.mul(step.create(weights, new Shape(rows, len))).sum(new int[] {1}).toFloatArray();
            double[] out = new double[rows];
            for (int b = 0; b < rows; b++) {
                out[b] = sums[b];
            }
            return out;
        }
    }
}
