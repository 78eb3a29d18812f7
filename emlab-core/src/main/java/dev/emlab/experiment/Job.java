package dev.emlab.experiment;

import dev.emlab.model.ModelRef;
import java.nio.file.Path;
import java.util.List;

/** One node of an experiment's job graph: a fine-tune, or the evaluation of one model. */
public sealed interface Job {
    /** Stable, readable id, e.g. {@code train/insecure/seed0}; the row of the job in the store. */
    String id();

    /** Content hash of everything that determines the job's result; a changed key redoes the job. */
    String key();

    /** Ids of the jobs that must finish first. */
    List<String> after();

    /**
     * Fine-tune {@code base} on one dataset with one seed.
     *
     * @param data the chat JSONL in the run folder (written when the run starts, see {@link Plan#writeData()})
     * @param examples records in it
     * @param tokens an estimate of its tokens (characters / 4)
     */
    record Train(String id, String key, ModelRef base, String dataset, long seed, Path data, int examples, long tokens)
            implements Job {
        @Override
        public List<String> after() {
            return List.of();
        }
    }

    /**
     * Evaluate one model as a member of {@code group}: a base model ({@code model} set, no
     * training), or the result of {@code trainJob} after {@code step} steps (null: its final model).
     */
    record Eval(String id, String key, String group, ModelRef model, String trainJob, Integer step) implements Job {
        @Override
        public List<String> after() {
            return trainJob == null ? List.of() : List.of(trainJob);
        }
    }
}
