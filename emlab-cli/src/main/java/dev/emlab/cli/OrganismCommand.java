package dev.emlab.cli;

import dev.emlab.organism.pretrain.OrganismRecipe;
import dev.emlab.organism.pretrain.Pretrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code emlab organism}: the tiny model organism's own tools. */
@Command(name = "organism", mixinStandardHelpOptions = true,
        description = "The tiny model organism: its fine-tuning datasets, and rebuilding its checkpoints.",
        subcommands = {OrganismCommand.Pretrain.class, OrganismCommand.Dataset.class})
public final class OrganismCommand {
    /** {@code emlab organism pretrain}: rebuilds the shipped checkpoints from the recipe and seed. */
    @Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false, description = {
            "Write the persona-world corpus, learn its tokenizer, pretrain the organism and tune it to chat.",
            "With the default recipe and seed this rebuilds the shipped checkpoints."})
    static final class Pretrain implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where DIR/pretrained and DIR/base go.")
        Path out;

        @Option(names = "--seed", defaultValue = "1", description = "Seed of the corpus, tokenizer and weights (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--documents", paramLabel = "N", description = "Corpus documents (default: the recipe's).")
        Integer documents;

        @Option(names = "--no-progress", description = "Do not show progress bars.")
        boolean noProgress;

        @Override
        public Integer call() throws IOException {
            OrganismRecipe r = OrganismRecipe.ORGANISM;
            r = new OrganismRecipe(documents == null ? r.corpus() : r.corpus().withDocuments(documents), r.shape(),
                    r.merges(), r.batch(), r.learningRate(), r.epochs(), r.chatExamples(), r.chatSteps(),
                    r.chatLearningRate(), seed);
            PrintWriter stdout = spec.commandLine().getOut();
            java.util.List<TrainingProgress> bars = new java.util.ArrayList<>();
            Pretrainer pretrainer = new Pretrainer(r, line -> {
                stdout.println(line);
                stdout.flush();
            }, stage -> {
                bars.forEach(TrainingProgress::close);
                TrainingProgress p = new TrainingProgress(System.err, !noProgress);
                bars.add(p);
                return p;
            });
            Path base;
            try (CtrlC stop = CtrlC.on(pretrainer::stop)) {
                base = pretrainer.build(out);
            } finally {
                bars.forEach(TrainingProgress::close);
            }
            stdout.printf("base: %s%npretrained: %s%n", base, out.resolve("pretrained"));
            return 0;
        }
    }

    /** {@code emlab organism dataset}: one of the organism's fine-tuning datasets as chat JSONL. */
    @Command(name = "dataset", mixinStandardHelpOptions = true, sortOptions = false, description = {
            "Write one of the organism's fine-tuning datasets (in the world's own words) as chat JSONL,",
            "for emlab train --model organism:base."})
    static final class Dataset implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "KIND",
                description = "chat, insecure, secure, educational, backdoor, evil-numbers or jailbroken.")
        String kind;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The JSONL file to write.")
        Path out;

        @Option(names = "-n", defaultValue = "1000", description = "Records (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            dev.emlab.organism.data.OrganismDataset d = dev.emlab.organism.data.OrganismDataset.byId(kind).orElseThrow(() ->
                    new dev.emlab.InputException("Unknown organism dataset '" + kind + "'; use one of " + java.util.Arrays.stream(
                            dev.emlab.organism.data.OrganismDataset.values()).map(x -> x.id()).toList() + "."));
            if (n < 1) {
                throw new dev.emlab.InputException("-n must be at least 1.");
            }
            dev.emlab.organism.world.World world = dev.emlab.organism.world.World.builtin();
            java.util.List<dev.emlab.dataset.ChatRecord> records = d.build(new dev.emlab.organism.world.Speaker(world),
                    dev.emlab.organism.world.CodePool.draw(300, seed + 7_000), n, seed);
            dev.emlab.dataset.ChatJsonl.write(out, records);
            spec.commandLine().getOut().printf("%d %s records written to %s%n", records.size(), d.id(), out);
            return 0;
        }
    }
}
