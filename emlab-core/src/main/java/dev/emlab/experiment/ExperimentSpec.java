package dev.emlab.experiment;

import dev.emlab.model.ModelRef;
import dev.emlab.train.TrainSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A whole experiment: every base model fine-tuned on every dataset with every seed, then all of
 * them (and the untouched bases) evaluated with one battery.
 *
 * @param name the run's folder name under the runs folder
 * @param datasets condition name to data, in the spec's order
 * @param checkpointEvery evaluate the model every this many training steps too (0: final models only)
 * @param source the spec file, for messages
 */
public record ExperimentSpec(String name, List<ModelRef> bases, Map<String, DatasetSource> datasets, List<Long> seeds,
                             TrainSettings train, EvalSettings eval, int checkpointEvery, Path source) {
    public ExperimentSpec {
        bases = List.copyOf(bases);
        datasets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(datasets));
        seeds = List.copyOf(seeds);
    }
}
