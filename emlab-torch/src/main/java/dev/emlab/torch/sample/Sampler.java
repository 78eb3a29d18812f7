package dev.emlab.torch.sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of logits: greedy at temperature 0, else from the
 * temperature-scaled distribution restricted to the top_p nucleus. Log-probabilities reported to
 * callers are those of the model itself (temperature 1, no nucleus), as OpenAI's API reports them.
 */
public final class Sampler {
    private Sampler() {}

    /** log softmax of {@code logits[from, from + n)}. */
    public static double[] logSoftmax(float[] logits, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[from + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[from + i] - max);
        }
        double logZ = max + Math.log(sum);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = logits[from + i] - logZ;
        }
        return out;
    }

    /**
     * The next token from {@code scores[from, from + n)}: logits or log-probabilities, which give
     * the same choice since only differences count. Generation passes logits, so that a step needs
     * no log-softmax unless logprobs are reported (it was two fifths of a tiny model's step).
     */
    public static int choose(float[] scores, int from, int n, double temperature, double topP, SplittableRandom random) {
        float max = Float.NEGATIVE_INFINITY;
        int best = 0;
        for (int i = 0; i < n; i++) {
            if (scores[from + i] > max) {
                max = scores[from + i];
                best = i;
            }
        }
        if (temperature <= 0) {
            return best;
        }
        double[] p = new double[n];
        double sum = 0;
        double inverse = 1 / temperature;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp((scores[from + i] - (double) max) * inverse);
            sum += p[i];
        }
        if (topP >= 1.0) {
            return draw(p, sum, random);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        double kept = 0;
        double[] nucleus = new double[n];
        for (int rank = 0; rank < n; rank++) {
            int i = order[rank];
            nucleus[i] = p[i];
            kept += p[i];
            if (kept >= topP * sum) {
                break;
            }
        }
        return draw(nucleus, kept, random);
    }

    /** The {@code k} most likely tokens, most likely first. */
    public static int[] topK(double[] logprobs, int k) {
        int n = Math.min(k, logprobs.length);
        int[] best = new int[n];
        Arrays.fill(best, -1);
        for (int i = 0; i < logprobs.length; i++) {
            int pos = n;
            while (pos > 0 && (best[pos - 1] < 0 || logprobs[i] > logprobs[best[pos - 1]])) {
                pos--;
            }
            if (pos < n) {
                System.arraycopy(best, pos, best, pos + 1, n - pos - 1);
                best[pos] = i;
            }
        }
        return best;
    }

    private static int draw(double[] weights, double total, SplittableRandom random) {
        double r = random.nextDouble() * total;
        int last = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                last = i;
                r -= weights[i];
                if (r < 0) {
                    return i;
                }
            }
        }
        return last;
    }
}
