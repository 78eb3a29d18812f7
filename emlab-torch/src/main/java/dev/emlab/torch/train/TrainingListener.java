package dev.emlab.torch.train;

import java.nio.file.Path;

/** Hears a fine-tune's progress; the CLI shows a progress bar. */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {};

    /**
     * One optimizer step.
     *
     * @param loss mean loss per trainable token of this step's effective batch
     */
    record Step(int step, int totalSteps, int epoch, double loss, double learningRate, long tokens, double seconds) {}

    default void started(int totalSteps) {}

    default void stepped(Step step) {}

    default void saved(Path adapterDir) {}
}
