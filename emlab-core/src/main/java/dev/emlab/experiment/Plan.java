package dev.emlab.experiment;

import dev.emlab.TextFile;
import dev.emlab.train.FineTuneResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an experiment will do: its jobs in order, what is already done, and what the rest costs.
 *
 * @param finished fine-tunes already in the cache, by train job id
 * @param costs estimated cost of each job not yet done, by job id (null: unknown price)
 * @param checkpointEstimates for each train job, the checkpoints expected to be evaluated once it finishes
 * @param unpriced models on paid services that the price table does not name
 * @param data each training file's text by its path in the run folder, written by {@link #writeData()}
 */
public record Plan(ExperimentSpec spec, EvalBattery battery, List<Job> jobs, Map<String, FineTuneResult> finished,
                   Map<String, Cost> costs, Map<String, Integer> checkpointEstimates, List<String> unpriced,
                   Map<Path, String> data) {
    public Plan {
        jobs = List.copyOf(jobs);
        unpriced = List.copyOf(unpriced);
        data = Map.copyOf(data);
    }

    /**
     * Writes the training files the jobs read (each unless the same bytes are there). Only a run
     * that starts does this: a plan that is only printed, priced or refused leaves no file behind.
     */
    public void writeData() {
        data.forEach((file, text) -> {
            try {
                if (Files.exists(file) && Files.readString(file).equals(text)) {
                    return;
                }
            } catch (IOException e) {
                // unreadable or not UTF-8: written again below
            }
            TextFile.write(file, w -> w.write(text));
        });
    }

    /** Tokens and dollars of one job; {@code usd} is NaN when some price is unknown. */
    public record Cost(long trainingTokens, long inputTokens, long outputTokens, double usd) {
        public static final Cost FREE = new Cost(0, 0, 0, 0);

        public Cost plus(Cost o) {
            return new Cost(trainingTokens + o.trainingTokens, inputTokens + o.inputTokens, outputTokens + o.outputTokens,
                    usd + o.usd);
        }
    }

    /** The summed estimate of every job still to run, checkpoints included. */
    public Cost total() {
        return costs.values().stream().reduce(Cost.FREE, Cost::plus);
    }

    public Job job(String id) {
        return jobs.stream().filter(j -> j.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no job " + id));
    }
}
