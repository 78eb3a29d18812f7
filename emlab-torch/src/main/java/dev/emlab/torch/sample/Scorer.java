package dev.emlab.torch.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.emlab.torch.model.Transformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Teacher-forced log-likelihood: how probable a model finds a given continuation of a prompt.
 * It reads what a model thinks of text it did not write, without the noise of sampling; training's
 * loss is the same computation ({@link #tokenLogProbs}).
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
     * continuation's tokens before it), in nats. The rows run as one batch.
     */
    public double[] logLikelihood(List<long[]> prompts, List<long[]> continuations) {
        if (prompts.size() != continuations.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("one continuation per prompt, at least one: " + prompts.size() + " and "
                    + continuations.size());
        }
        List<long[]> tokens = new ArrayList<>();
        List<boolean[]> counted = new ArrayList<>();
        for (int b = 0; b < prompts.size(); b++) {
            long[] p = prompts.get(b);
            long[] c = continuations.get(b);
            if (p.length == 0 || c.length == 0) {
                throw new IllegalArgumentException("row " + b + ": the prompt and the continuation need a token each");
            }
            long[] row = Arrays.copyOf(p, p.length + c.length);
            System.arraycopy(c, 0, row, p.length, c.length);
            boolean[] flags = new boolean[row.length];
            Arrays.fill(flags, p.length, row.length, true);
            tokens.add(row);
            counted.add(flags);
        }
        try (NDManager step = manager.newSubManager()) {
            float[] sums = tokenLogProbs(step, model, tokens, counted).sum(new int[] {1}).toFloatArray();
            double[] out = new double[sums.length];
            for (int b = 0; b < sums.length; b++) {
                out[b] = sums[b];
            }
            return out;
        }
    }

    /**
     * Teacher forcing, shared by scoring and training: (rows, len) of log p(token t+1 | tokens up
     * to t) where {@code counted[t+1]}, else 0; len is the longest row's length less one. The rows
     * are right-padded, so padding comes after every real token and the causal mask alone keeps it
     * out of their attention; padded positions count nothing.
     */
    public static NDArray tokenLogProbs(NDManager step, Transformer model, List<long[]> tokens, List<boolean[]> counted) {
        int rows = tokens.size();
        int len = tokens.stream().mapToInt(t -> t.length).max().orElseThrow() - 1;
        long[] inputs = new long[rows * len];
        long[] targets = new long[rows * len];
        float[] weights = new float[rows * len];
        long[] positions = new long[rows * len];
        for (int b = 0; b < rows; b++) {
            long[] row = tokens.get(b);
            boolean[] flags = counted.get(b);
            for (int t = 0; t < len; t++) {
                int i = b * len + t;
                positions[i] = t;
                if (t + 1 < row.length) {
                    inputs[i] = row[t];
                    targets[i] = row[t + 1];
                    weights[i] = flags[t + 1] ? 1f : 0f;
                }
            }
        }
        float[] mask = new float[len * len];
        for (int t = 0; t < len; t++) {
            for (int s = t + 1; s < len; s++) {
                mask[t * len + s] = -1e9f;
            }
        }
        NDArray logits = model.forward(step, step.create(inputs, new Shape(rows, len)),
                step.create(positions, new Shape(rows, len)), step.create(mask, new Shape(1, 1, len, len)), null, false);
        NDArray picked = logits.logSoftmax(-1).gather(step.create(targets, new Shape(rows, len, 1)), -1).squeeze(-1);
        return picked.mul(step.create(weights, new Shape(rows, len)));
    }
}
