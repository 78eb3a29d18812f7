package dev.emlab.torch.train;

import dev.emlab.InputException;
import dev.emlab.torch.lora.LoraConfig;
import dev.emlab.train.TrainSettings;

/**
 * A fine-tune's settings, built by name from {@link #paper()} or {@link #from(TrainSettings)}.
 * Its JSON is written to training_args.json and keys the demo's adapters, so the components keep
 * their names and order.
 *
 * @param lora the adapter, or null to train every weight ({@link FullTrainer})
 * @param maxSteps stop after this many optimizer steps (0: run every epoch)
 * @param checkpointEvery save the adapter every this many steps (0: only at the end)
 */
public record TrainingConfig(LoraConfig lora, double learningRate, int epochs, int batchSize, int gradientAccumulation,
                             int warmupSteps, double weightDecay, int maxLength, long seed, int maxSteps,
                             int checkpointEvery) {
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

    /**
     * The paper's open-model settings, as {@link TrainSettings#paperLocal()} holds them (rsLoRA r 32,
     * alpha 64 on all projections, lr 1e-5, 1 epoch, batch 2 x 8, 5 warm-up steps, weight decay
     * 0.01, max length 2048), seed 0, no intermediate checkpoints; change what differs.
     */
    public static Builder paper() {
        return from(TrainSettings.paperLocal());
    }

    /** A local fine-tune's settings (a spec's {@code train:}), seed 0, no intermediate checkpoints. */
    public static Builder from(TrainSettings s) {
        if (s.backend() != TrainSettings.Backend.LOCAL) {
            throw new IllegalArgumentException("the settings of a " + s.backend() + " fine-tune do not train here");
        }
        return new Builder().lora(LoraConfig.of(s.lora())).learningRate(s.lr()).epochs(s.epochs()).batchSize(s.batchSize())
                .gradientAccumulation(s.gradAccum()).warmupSteps(s.warmup()).weightDecay(s.weightDecay())
                .maxLength(s.maxLength()).seed(0).maxSteps(s.maxSteps()).checkpointEvery(0);
    }

    public int effectiveBatch() {
        return batchSize * gradientAccumulation;
    }

    /** A TrainingConfig set by name; {@link #build()} checks the ranges. */
    public static final class Builder {
        private LoraConfig lora;
        private double learningRate;
        private int epochs;
        private int batchSize;
        private int gradientAccumulation;
        private int warmupSteps;
        private double weightDecay;
        private int maxLength;
        private long seed;
        private int maxSteps;
        private int checkpointEvery;

        private Builder() {}

        /** The adapter, or null to train every weight. */
        public Builder lora(LoraConfig lora) {
            this.lora = lora;
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder gradientAccumulation(int gradientAccumulation) {
            this.gradientAccumulation = gradientAccumulation;
            return this;
        }

        public Builder warmupSteps(int warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Stop after this many optimizer steps (0: run every epoch). */
        public Builder maxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** Save the adapter every this many steps (0: only at the end). */
        public Builder checkpointEvery(int checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(lora, learningRate, epochs, batchSize, gradientAccumulation, warmupSteps, weightDecay,
                    maxLength, seed, maxSteps, checkpointEvery);
        }
    }
}
