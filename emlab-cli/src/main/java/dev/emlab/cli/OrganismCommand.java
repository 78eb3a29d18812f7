package dev.emlab.cli;

import dev.emlab.InputException;
import dev.emlab.dataset.ChatJsonl;
import dev.emlab.dataset.ChatRecord;
import dev.emlab.organism.data.OrganismDataset;
import dev.emlab.organism.pretrain.OrganismRecipe;
import dev.emlab.organism.pretrain.Pretrainer;
import dev.emlab.organism.world.CodePool;
import dev.emlab.organism.world.Speaker;
import dev.emlab.organism.world.World;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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
            OrganismRecipe r = OrganismRecipe.ORGANISM.withSeed(seed);
            if (documents != null) {
                r = r.withDocuments(documents);
            }
            PrintWriter stdout = spec.commandLine().getOut();
            Path base;
            try (StageBars bars = new StageBars(System.err, !noProgress)) {
                Pretrainer pretrainer = new Pretrainer(r, line -> {
                    stdout.println(line);
                    stdout.flush();
                }, stage -> bars.training());
                try (CtrlC stop = CtrlC.on(pretrainer::stop)) {
                    base = pretrainer.build(out);
                }
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

        @Parameters(index = "0", paramLabel = "KIND",
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
            OrganismDataset d = OrganismDataset.byId(kind).orElseThrow(() -> new InputException("Unknown organism dataset '"
                    + kind + "'; use one of " + Arrays.stream(OrganismDataset.values()).map(OrganismDataset::id).toList() + "."));
            if (n < 1) {
                throw new InputException("-n must be at least 1.");
            }
            List<ChatRecord> records = d.build(new Speaker(World.builtin()), CodePool.draw(300, seed + 7_000), n, seed);
            ChatJsonl.write(out, records);
            spec.commandLine().getOut().printf("%d %s records written to %s%n", records.size(), d.id(), out);
            return 0;
        }
    }
}
