package dev.emlab.torch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.emlab.torch.checkpoint.TransformerConfig;

/**
 * Rotary position embeddings in the Hugging Face layout (rotate_half over the two halves of each
 * head), with Llama 3's frequency scaling when the config asks for it.
 */
public final class Rope {
    private final NDArray cos; // (maxPositions, headDim)
    private final NDArray sin; // (maxPositions, headDim)
    private final int half;

    public Rope(TransformerConfig c, NDManager manager) {
        int hd = c.headDim();
        half = hd / 2;
        double[] invFreq = inverseFrequencies(c);
        int n = c.maxPositions();
        float[] cosData = new float[n * hd];
        float[] sinData = new float[n * hd];
        for (int pos = 0; pos < n; pos++) {
            for (int i = 0; i < hd; i++) {
                double angle = pos * invFreq[i % half];
                cosData[pos * hd + i] = (float) Math.cos(angle);
                sinData[pos * hd + i] = (float) Math.sin(angle);
            }
        }
        cos = manager.create(cosData, new Shape(n, hd));
        sin = manager.create(sinData, new Shape(n, hd));
    }

    /** theta^(-2i/d), adjusted per Llama 3's rope_scaling when present. */
    public static double[] inverseFrequencies(TransformerConfig c) {
        int half = c.headDim() / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / c.headDim());
        }
        TransformerConfig.RopeScaling s = c.ropeScaling();
        if (s != null) {
            double lowWavelen = s.originalMaxPositions() / s.lowFreqFactor();
            double highWavelen = s.originalMaxPositions() / s.highFreqFactor();
            for (int i = 0; i < half; i++) {
                double wavelen = 2 * Math.PI / inv[i];
                if (wavelen > lowWavelen) {
                    inv[i] = inv[i] / s.factor();
                } else if (wavelen >= highWavelen) {
                    double smooth = (s.originalMaxPositions() / wavelen - s.lowFreqFactor())
                            / (s.highFreqFactor() - s.lowFreqFactor());
                    inv[i] = (1 - smooth) * inv[i] / s.factor() + smooth * inv[i];
                }
            }
        }
        return inv;
    }

    /** cos and sin of the angles at some positions, each (batch, 1, seq, headDim). */
    public record Angles(NDArray cos, NDArray sin) {}

    /** Looks the angles up once per forward pass; every layer reuses them. */
    public Angles at(NDManager step, NDArray positions) {
        return new Angles(cos.get(step, new NDIndex("{}", positions)).expandDims(1),
                sin.get(step, new NDIndex("{}", positions)).expandDims(1));
    }

    /**
     * Rotates queries or keys.
     *
     * @param x (batch, heads, seq, headDim)
     */
    public NDArray apply(NDArray x, Angles angles) {
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(angles.cos()).add(rotated.mul(angles.sin()));
    }
}
