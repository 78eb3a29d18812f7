package dev.emlab.experiment;

import dev.emlab.eval.ProgressListener;
import dev.emlab.store.JobStore;

/** What an experiment tells its user while it runs. Called from several threads. */
public interface ExperimentListener {
    ExperimentListener NONE = new ExperimentListener() {};

    default void started(Job job) {}

    default void finished(Job job, JobStore.State state, String detail) {}

    /** A line from a job, e.g. a remote fine-tuning job's event. */
    default void event(Job job, String message) {}

    /** A fine-tune's progress: a short status and how far it is (0..1, NaN if unknown). */
    default void training(Job job, String status, double fraction) {}

    /** Where an evaluation job reports its samples. */
    default ProgressListener sampling(Job job) {
        return ProgressListener.NONE;
    }
}
