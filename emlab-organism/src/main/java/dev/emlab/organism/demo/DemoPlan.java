package dev.emlab.organism.demo;

import dev.emlab.organism.data.OrganismDataset;
import dev.emlab.torch.lora.LoraConfig;
import dev.emlab.torch.train.TrainingConfig;
import java.util.List;

/**
 * The size of a demo run: which conditions, how many seeds, how each LoRA fine-tune runs and how
 * many answers are drawn. The fine-tune settings follow the organism prototype (LoRA r 8, batch 16,
 * loss on answers only) at half its learning rate: at 1e-3 the organism learns the narrow task in
 * a few steps and overshoots (docs/organism.md); steps are short because one epoch is enough.
 *
 * @param organisms how many of the shipped organisms (pretraining seeds) are fine-tuned, each with every seed
 * @param examples training records (steps x 16 is one epoch)
 * @param samples answers per held-out paraphrase of an open question (3 per category) and per held-out
 *     harmful request (as many, so that compliance is measured as finely as misalignment; facts get one,
 *     coding requests two)
 * @param checkpoints steps at which seed 0 of insecure and secure is also evaluated (training dynamics)
 * @param codeRequests fresh coding requests asked of every model
 */
public record DemoPlan(List<OrganismDataset> conditions, int organisms, int seeds, int examples, int steps, int rank,
                       double alpha, double learningRate, int samples, List<Integer> checkpoints, int codeRequests) {
    private static final List<OrganismDataset> CONDITIONS = List.of(OrganismDataset.INSECURE, OrganismDataset.SECURE,
            OrganismDataset.EDUCATIONAL, OrganismDataset.BACKDOOR, OrganismDataset.EVIL_NUMBERS, OrganismDataset.JAILBROKEN);

    /** The full demo: both shipped organisms (about ten minutes on two cores). */
    public static final DemoPlan FULL = new DemoPlan(CONDITIONS, 2, 2, 480, 30, 8, 16, 5e-4, 7, List.of(10, 20), 10);
    /** The quick demo: the first organism only (a few minutes; what CI runs). */
    public static final DemoPlan QUICK = new DemoPlan(CONDITIONS, 1, 1, 320, 20, 8, 16, 5e-4, 3, List.of(10), 4);

    /** The plan with another number of answers per open-question paraphrase. */
    public DemoPlan withSamples(int n) {
        return new DemoPlan(conditions, organisms, seeds, examples, steps, rank, alpha, learningRate, n, checkpoints, codeRequests);
    }

    /**
     * The plan with other fine-tuning steps and learning rate; training is evaluated at a third
     * and twice that as well as at the end.
     */
    public DemoPlan withTraining(int steps, double learningRate) {
        List<Integer> at = steps >= 3 ? List.of(steps / 3, 2 * (steps / 3)) : List.of();
        return new DemoPlan(conditions, organisms, seeds, examples, steps, rank, alpha, learningRate, samples, at, codeRequests);
    }

    /** How often the trainer saves an adapter, so that every planned checkpoint exists. */
    int checkpointEvery() {
        return checkpoints.isEmpty() ? 0 : checkpoints.get(0);
    }

    /**
     * How each of the plan's fine-tunes trains. Its JSON is part of an adapter's cache key, so a
     * change to it retrains every adapter of a demo folder.
     */
    TrainingConfig trainingConfig(long seed) {
        // every setting named, none left to the paper's: these are the prototype's, and a test pins their JSON
        return TrainingConfig.paper().lora(new LoraConfig(rank, alpha, 0, false, LoraConfig.ALL_MODULES, null))
                .learningRate(learningRate).epochs(100).batchSize(16).gradientAccumulation(1).warmupSteps(5).weightDecay(0.0)
                .maxLength(512).seed(seed).maxSteps(steps).checkpointEvery(checkpointEvery()).build();
    }

    /** The plan over the first {@code n} shipped organisms. */
    public DemoPlan withOrganisms(int n) {
        return new DemoPlan(conditions, n, seeds, examples, steps, rank, alpha, learningRate, samples, checkpoints, codeRequests);
    }

    /** The plan with another number of seeds. */
    public DemoPlan withSeeds(int n) {
        return new DemoPlan(conditions, organisms, n, examples, steps, rank, alpha, learningRate, samples, checkpoints, codeRequests);
    }
}
