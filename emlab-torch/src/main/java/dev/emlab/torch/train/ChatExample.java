package dev.emlab.torch.train;

/**
 * One tokenised training conversation.
 *
 * @param trainable per token: whether predicting it counts in the loss (assistant tokens only)
 */
public record ChatExample(long[] tokens, boolean[] trainable) {
    public int trainableCount() {
        int n = 0;
        for (int i = 1; i < trainable.length; i++) {
            if (trainable[i]) {
                n++;
            }
        }
        return n;
    }
}
