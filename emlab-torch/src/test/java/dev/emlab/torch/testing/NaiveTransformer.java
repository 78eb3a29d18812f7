package dev.emlab.torch.testing;

import dev.emlab.torch.checkpoint.Tensor;
import java.util.Map;

/**
 * An independent reference decoder in plain Java loops (double precision, one sequence, no
 * cache): what the DJL implementation must match. Written from the architecture's definition,
 * sharing no code with the engine.
 */
public final class NaiveTransformer {
    private final TinyCheckpoint c;
    private final Map<String, Tensor> w;

    public NaiveTransformer(TinyCheckpoint c) {
        this.c = c;
        this.w = c.weights();
    }

    /** logits[t][v] for every position of a token sequence. */
    public double[][] logits(long[] tokens) {
        TinyCheckpoint.Shape s = c.shape();
        int n = tokens.length;
        int h = s.hidden();
        int hd = c.headDim();
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) {
            x[t] = row("model.embed_tokens.weight", (int) tokens[t]);
        }
        for (int l = 0; l < s.layers(); l++) {
            String p = "model.layers." + l + ".";
            double[][] q = new double[n][];
            double[][] k = new double[n][];
            double[][] v = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] hN = norm(x[t], p + "input_layernorm.weight");
                q[t] = rope(linear(hN, p + "self_attn.q_proj"), t, s.heads(), hd);
                k[t] = rope(linear(hN, p + "self_attn.k_proj"), t, s.kvHeads(), hd);
                v[t] = linear(hN, p + "self_attn.v_proj");
            }
            int groups = s.heads() / s.kvHeads();
            for (int t = 0; t < n; t++) {
                double[] ctx = new double[s.heads() * hd];
                for (int head = 0; head < s.heads(); head++) {
                    int kvHead = head / groups;
                    double[] scores = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u <= t; u++) {
                        double dot = 0;
                        for (int d = 0; d < hd; d++) {
                            dot += q[t][head * hd + d] * k[u][kvHead * hd + d];
                        }
                        scores[u] = dot / Math.sqrt(hd);
                        max = Math.max(max, scores[u]);
                    }
                    double z = 0;
                    for (int u = 0; u <= t; u++) {
                        scores[u] = Math.exp(scores[u] - max);
                        z += scores[u];
                    }
                    for (int u = 0; u <= t; u++) {
                        for (int d = 0; d < hd; d++) {
                            ctx[head * hd + d] += scores[u] / z * v[u][kvHead * hd + d];
                        }
                    }
                }
                x[t] = add(x[t], linear(ctx, p + "self_attn.o_proj"));
                double[] h2 = norm(x[t], p + "post_attention_layernorm.weight");
                double[] gate = linear(h2, p + "mlp.gate_proj");
                double[] up = linear(h2, p + "mlp.up_proj");
                double[] act = new double[gate.length];
                for (int i = 0; i < act.length; i++) {
                    act[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
                }
                x[t] = add(x[t], linear(act, p + "mlp.down_proj"));
            }
        }
        String head = s.tied() ? "model.embed_tokens.weight" : "lm_head.weight";
        double[][] out = new double[n][TinyCheckpoint.VOCAB];
        for (int t = 0; t < n; t++) {
            double[] f = norm(x[t], "model.norm.weight");
            for (int vId = 0; vId < TinyCheckpoint.VOCAB; vId++) {
                double[] r = row(head, vId);
                double dot = 0;
                for (int i = 0; i < h; i++) {
                    dot += f[i] * r[i];
                }
                out[t][vId] = dot;
            }
        }
        return out;
    }

    private double[] row(String name, int r) {
        Tensor t = w.get(name);
        int cols = (int) t.shape()[1];
        double[] out = new double[cols];
        for (int i = 0; i < cols; i++) {
            out[i] = t.data()[r * cols + i];
        }
        return out;
    }

    /** y = W x + b with W stored (out, in) as in the checkpoint. */
    private double[] linear(double[] x, String prefix) {
        Tensor wt = w.get(prefix + ".weight");
        int out = (int) wt.shape()[0];
        int in = (int) wt.shape()[1];
        Tensor b = w.get(prefix + ".bias");
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double sum = b == null ? 0 : b.data()[o];
            for (int i = 0; i < in; i++) {
                sum += wt.data()[o * in + i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }

    private double[] norm(double[] x, String weight) {
        double ms = 0;
        for (double v : x) {
            ms += v * v;
        }
        ms /= x.length;
        double scale = 1 / Math.sqrt(ms + c.eps());
        float[] g = w.get(weight).data();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * scale * g[i];
        }
        return y;
    }

    /** Rotates each head's pairs (i, i + hd/2) by pos * theta^(-2i/hd). */
    private double[] rope(double[] x, int pos, int heads, int hd) {
        double[] y = x.clone();
        int half = hd / 2;
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < half; i++) {
                double angle = pos / Math.pow(c.ropeTheta(), 2.0 * i / hd);
                double a = x[head * hd + i];
                double b = x[head * hd + i + half];
                y[head * hd + i] = a * Math.cos(angle) - b * Math.sin(angle);
                y[head * hd + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
            }
        }
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }
}
