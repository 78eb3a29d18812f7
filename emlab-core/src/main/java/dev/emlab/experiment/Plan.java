package dev.emlab.experiment;

import dev.emlab.train.FineTuneResult;
import java.util.List;
import java.util.Map;

/**
 * What an experiment will do: its jobs in order, what is already done, and what the rest costs.
 *
 * @param finished fine-tunes already in the cache, by train job id
 * @param costs estimated cost of each job not yet done, by job id (null: unknown price)
 * @param checkpointEstimates for each train job, the checkpoints expected to be evaluated once it finishes
 * @param unpriced models on paid services that the price table does not name
 */
public record Plan(ExperimentSpec spec, EvalBattery battery, List<Job> jobs, Map<String, FineTuneResult> finished,
                   Map<String, Cost> costs, Map<String, Integer> checkpointEstimates, List<String> unpriced) {
    public Plan {
        jobs = List.copyOf(jobs);
        unpriced = List.copyOf(unpriced);
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
