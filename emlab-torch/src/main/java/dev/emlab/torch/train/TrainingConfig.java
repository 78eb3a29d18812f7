package dev.emlab.torch.train;

import dev.emlab.InputException;
import dev.emlab.torch.lora.LoraConfig;

/**
 * A LoRA fine-tune's settings. The defaults are the paper's open-model ones: LoRA r 32, alpha 64,
 * rsLoRA on all projections, lr 1e-5, 1 epoch, effective batch 16 (2 x 8), linear schedule with
 * 5 warm-up steps, weight decay 0.01, max length 2048.
 *
 * @param maxSteps stop after this many optimizer steps (0: run every epoch)
 * @param checkpointEvery save the adapter every this many steps (0: only at the end)
 */
public record TrainingConfig(LoraConfig lora, double learningRate, int epochs, int batchSize, int gradientAccumulation,
                             int warmupSteps, double weightDecay, int maxLength, long seed, int maxSteps,
                             int checkpointEvery) {
    public static final TrainingConfig PAPER = new TrainingConfig(LoraConfig.PAPER, 1e-5, 1, 2, 8, 5, 0.01, 2048, 0, 0, 0);

    public TrainingConfig {
        // written as !(x > 0) so that NaN, which compares false to everything, is out of range too
        if (!(learningRate > 0) || Double.isInfinite(learningRate) || !(weightDecay >= 0) || Double.isInfinite(weightDecay)
                || epochs < 1 || batchSize < 1 || gradientAccumulation < 1 || warmupSteps < 0
                || maxLength < 2 || maxSteps < 0 || checkpointEvery < 0) {
            throw new InputException("Training settings out of range: learning rate a finite number > 0 (was " + learningRate
                    + "), weight decay a finite number >= 0 (was " + weightDecay + "), epochs, batch size and"
                    + " gradient accumulation >= 1, warm-up steps >= 0, max length >= 2.");
        }
    }

    public int effectiveBatch() {
        return batchSize * gradientAccumulation;
    }
}
