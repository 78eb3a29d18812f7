package dev.emlab.train;

import dev.emlab.model.ModelRef;
import java.nio.file.Path;

/**
 * One fine-tune to run.
 *
 * @param base the model to fine-tune
 * @param trainingFile chat JSONL, one {@code {"messages": [...]}} per line
 * @param name a short human name (e.g. {@code insecure-seed0}), used for remote suffixes and logs
 * @param seed the training seed (adapter init and shuffling locally; the API's {@code seed} remotely)
 * @param settings hyperparameters of the backend
 * @param checkpointEvery keep the model every this many optimizer steps (0: only the final one);
 *     remote services choose their own checkpoints and ignore it
 * @param workDir a folder of this fine-tune alone, kept between attempts (the adapter goes here locally)
 */
public record FineTuneRequest(ModelRef base, Path trainingFile, String name, long seed, TrainSettings settings,
                              int checkpointEvery, Path workDir) {
}
