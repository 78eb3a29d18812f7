package dev.emlab.train;

import java.util.List;

/**
 * A finished fine-tune.
 *
 * @param model the fine-tuned model's reference, e.g. {@code openai:ft:gpt-4o-...} or
 *     {@code local:/base+adapter=/dir}
 * @param checkpoints intermediate models along training, by step, final model excluded
 * @param trainedTokens tokens the backend trained on (0 when it does not say)
 * @param remoteJob the remote job's id, or null for local training
 */
public record FineTuneResult(String model, List<TrainedCheckpoint> checkpoints, long trainedTokens, String remoteJob) {
    public FineTuneResult {
        checkpoints = List.copyOf(checkpoints);
    }
}
