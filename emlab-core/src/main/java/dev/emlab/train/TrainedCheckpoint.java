package dev.emlab.train;

/** A model saved along training: after {@code step} optimizer steps, usable as {@code model}. */
public record TrainedCheckpoint(int step, String model) {
}
