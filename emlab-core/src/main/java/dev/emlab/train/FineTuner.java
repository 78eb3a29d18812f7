package dev.emlab.train;

/**
 * A fine-tuning backend: the in-process LoRA trainer or a remote fine-tuning service. It turns a
 * base model, a chat JSONL file and hyperparameters into a model reference that evaluations use.
 */
public interface FineTuner {
    /**
     * Runs the fine-tune to its end, or resumes it from what {@code session} recalls of an earlier
     * attempt (a remote job id, an uploaded file). Blocks until the model is ready.
     *
     * @throws FineTuneFailedException when the backend reports the job failed or was refused
     * @throws dev.emlab.EmlabException when the session asked it to stop; work is kept for a resume
     */
    FineTuneResult fineTune(FineTuneRequest request, FineTuneSession session);

    /** Cancels the backend's job that {@code session} recalls, if one is still running; no-op otherwise. */
    default void cancel(FineTuneSession session) {
    }
}
