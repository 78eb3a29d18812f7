package dev.emlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.checkpoint.Checkpoint;
import dev.emlab.torch.checkpoint.TrainingState;
import dev.emlab.torch.lora.LoraConfig;
import dev.emlab.torch.train.ChatDataset;
import dev.emlab.torch.train.LoraTrainer;
import dev.emlab.torch.train.MaxLength;
import dev.emlab.torch.train.TrainingConfig;
import dev.emlab.torch.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code emlab train}: LoRA fine-tuning of a local checkpoint on chat JSONL, defaults from the paper. */
@Command(mixinStandardHelpOptions = true, name = "train", sortOptions = false, description = {
        "LoRA-fine-tune a local Hugging Face checkpoint on chat JSONL (loss on assistant tokens only).",
        "Defaults are the paper's open-model settings; the adapter is saved in PEFT format in --out."})
public final class TrainCommand implements Callable<Integer> {
    /** Where the options' defaults come from: the paper's settings, written once in TrainSettings.paperLocal. */
    private static final TrainingConfig PAPER = TrainingConfig.paper().build();

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "local:DIR", description = "The base checkpoint.")
    String model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Chat JSONL: {\"messages\": [...]} per line.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the adapter, checkpoints and train_log.jsonl go.")
    Path out;

    @Option(names = "--rank", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
    int rank = PAPER.lora().r();

    @Option(names = "--alpha", description = "LoRA alpha (default: ${DEFAULT-VALUE}).")
    double alpha = PAPER.lora().alpha();

    @Option(names = "--dropout", description = "LoRA dropout (default: ${DEFAULT-VALUE}).")
    double dropout = PAPER.lora().dropout();

    @Option(names = "--no-rslora", description = "Scale by alpha/r instead of rsLoRA's alpha/sqrt(r).")
    boolean noRslora;

    @Option(names = "--target-modules", split = ",", paramLabel = "M", description = "Projections to adapt (default: all seven).")
    List<String> targetModules = PAPER.lora().targetModules();

    @Option(names = "--layers", split = ",", paramLabel = "N", description = "Layers to adapt, e.g. 12 for one rank-1 adapter's layer (default: all).")
    List<Integer> layers;

    @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr = PAPER.learningRate();

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = PAPER.epochs();

    @Option(names = "--batch-size", description = "Examples per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize = PAPER.batchSize();

    @Option(names = "--grad-accum", description = "Forward passes per optimizer step (default: ${DEFAULT-VALUE}).")
    int gradAccum = PAPER.gradientAccumulation();

    @Option(names = "--warmup", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup = PAPER.warmupSteps();

    @Option(names = "--weight-decay", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay = PAPER.weightDecay();

    @Option(names = "--max-length", description = "Tokens per example at most (default: ${DEFAULT-VALUE}).")
    int maxLength = PAPER.maxLength();

    @Option(names = "--seed", description = "Seed for adapter init, shuffling and dropout (default: ${DEFAULT-VALUE}).")
    long seed = PAPER.seed();

    @Option(names = "--max-steps", description = "Stop after this many optimizer steps (0: all epochs).")
    int maxSteps = PAPER.maxSteps();

    @Option(names = "--checkpoint-every", description = "Save the adapter every N steps in DIR/checkpoint-N (0: only at the end).")
    int checkpointEvery = PAPER.checkpointEvery();

    @Option(names = "--no-progress", description = "Do not show a progress bar.")
    boolean noProgress;

    @Option(names = "--overwrite", description = "Replace the adapter in --out even when another training (other model, data or settings) wrote it.")
    boolean overwrite;

    /** What the training in --out was run with; the same again may rewrite the folder. */
    private static final String ARGS = "training_args.json";


    private String partial(LoraTrainer trainer) {
        return "stopped at step " + trainer.stepsDone() + " of " + trainer.stepsPlanned() + ". The adapter in " + out
                + " holds those steps only and is marked partial in training_state.json, so eval, generate and merge"
                + " refuse it; run the same command again to train it to the end.";
    }

    @Override
    public Integer call() throws IOException {
        OptionChecks.folder("--out", out);
        refuseDataThatTrainingWrites();
        // named here by option; the training settings check the same ranges for every other caller
        OptionChecks.atLeast("--rank", rank, 1);
        OptionChecks.positive("--alpha", alpha);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InputException("--dropout must be a number from 0 up to (not including) 1, got " + dropout + ".");
        }
        OptionChecks.positive("--lr", lr);
        OptionChecks.atLeast("--epochs", epochs, 1);
        OptionChecks.atLeast("--batch-size", batchSize, 1);
        OptionChecks.atLeast("--grad-accum", gradAccum, 1);
        OptionChecks.atLeast("--warmup", warmup, 0);
        OptionChecks.atLeast("--weight-decay", weightDecay, 0);
        OptionChecks.atLeast("--max-length", maxLength, 2);
        OptionChecks.atLeast("--max-steps", maxSteps, 0);
        OptionChecks.atLeast("--checkpoint-every", checkpointEvery, 0);
        if (!(ModelRef.parse(model) instanceof LocalRef base) || base.adapter() != null) {
            throw new InputException("--model must be a local checkpoint without an adapter: local:/path/to/hf-dir.");
        }
        ModelConnector.shipped(base);
        // from the checkpoint's header too: a model of 512 positions cannot take the default 2048
        MaxLength.Checked length = MaxLength.check(base.checkpoint(), maxLength, "--max-length",
                spec.commandLine().getParseResult().hasMatchedOption("--max-length"));
        String capped = length.capped() ? "--max-length " + maxLength + " (the default) is capped to the model's "
                + length.positions() + " positions" : null;
        maxLength = length.value();
        if (layers != null) {
            // from the checkpoint's header, before the weights load: a typo is told in a second, not after minutes
            int n = Checkpoint.open(base.checkpoint()).config().numLayers();
            layers.forEach(layer -> OptionChecks.between("--layers", layer, 0, n - 1));
        }
        TrainingConfig config = TrainingConfig.paper().lora(new LoraConfig(rank, alpha, dropout, !noRslora, targetModules, layers))
                .learningRate(lr).epochs(epochs).batchSize(batchSize).gradientAccumulation(gradAccum).warmupSteps(warmup)
                .weightDecay(weightDecay).maxLength(maxLength).seed(seed).maxSteps(maxSteps).checkpointEvery(checkpointEvery)
                .build();
        ObjectNode written = Json.MAPPER.createObjectNode()
                .put("model", base.organism().isPresent() ? base.text() : "local:" + base.checkpoint().toAbsolutePath().normalize())
                .put("data", data.toAbsolutePath().normalize().toString());
        written.setAll((ObjectNode) Json.MAPPER.valueToTree(config));
        // as it reads back from the file (a long seed reads as an int), so the same training compares equal
        ObjectNode args = (ObjectNode) Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(written));
        boolean replacing = refuseAnotherTraining(args);
        PrintWriter stdout = spec.commandLine().getOut();
        try (LocalModel local = LocalModel.load(base.checkpoint(), false)) {
            if (capped != null) {
                stdout.println(capped);
            }
            ChatDataset dataset = ChatDataset.load(data, local, maxLength);
            stdout.printf("%d examples (%d cut to %d tokens), effective batch %d%n", dataset.examples().size(),
                    dataset.truncated(), maxLength, config.effectiveBatch());
            stdout.flush();
            try (TrainingProgress progress = new TrainingProgress(System.err, !noProgress)) {
                // the adapters are made before the folder is touched, so whatever they refuse leaves it as it was
                LoraTrainer trainer = new LoraTrainer(local, config, progress);
                if (replacing) {
                    deleteCheckpoints();
                }
                Files.createDirectories(out);
                String text = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(args);
                dev.emlab.TextFile.write(out.resolve(ARGS), w -> w.write(text));
                double loss;
                try (CtrlC stop = CtrlC.on(trainer::stop, () -> System.err.println("\nemlab: " + partial(trainer)))) {
                    loss = trainer.train(dataset, out);
                }
                if (trainer.stepsDone() < trainer.stepsPlanned()) {
                    return 130; // stopped by Ctrl-C, whose hook says what the folder holds
                }
                stdout.printf(Locale.ROOT, "final loss %.4f; %s%nadapter: %s (use it as local:%s+adapter=%s)%n", loss,
                        progress.summary(), out, base.checkpoint(), out);
            }
        }
        return 0;
    }

    /**
     * Refuses to train into a folder that holds another training's adapter, unless --overwrite:
     * the same training again (same model, data and settings) may rewrite it, which is how a
     * stopped one is finished. Returns true when --overwrite replaces another training.
     */
    private boolean refuseAnotherTraining(ObjectNode args) {
        if (!Files.isDirectory(out)) {
            return false;
        }
        JsonNode earlier = null;
        try {
            earlier = Files.isRegularFile(out.resolve(ARGS)) ? Json.MAPPER.readTree(Files.readString(out.resolve(ARGS))) : null;
        } catch (IOException e) {
            // unreadable: whoever wrote it, it is not this training's
        }
        if (args.equals(earlier)) {
            return false;
        }
        boolean weights = Stream.of("adapter_config.json", "adapter_model.safetensors", TrainingState.FILE)
                .anyMatch(f -> Files.exists(out.resolve(f)));
        if (earlier == null && !weights) {
            return false; // a new or unrelated folder: training only adds its own files
        }
        if (overwrite) {
            return true;
        }
        String what = "an adapter that 'emlab train' did not write there";
        if (earlier != null && earlier.isObject()) {
            TreeSet<String> differ = new TreeSet<>();
            args.fieldNames().forEachRemaining(differ::add);
            earlier.fieldNames().forEachRemaining(differ::add);
            JsonNode before = earlier;
            differ.removeIf(k -> java.util.Objects.equals(args.get(k), before.get(k)));
            what = "the adapter of another training (its " + ARGS + " differs in " + String.join(", ", differ) + ")";
        }
        throw new InputException(out + " holds " + what + ". Give another --out, or pass --overwrite to replace it.");
    }

    /** The files training writes in --out, besides those in its checkpoint-N folders. */
    private static final List<String> WRITTEN = List.of("train_log.jsonl", ARGS, TrainingState.FILE, "adapter_config.json",
            "adapter_model.safetensors");

    /**
     * Refuses a data file that training would replace: one of its own files in --out, or one in a
     * checkpoint-N folder there (which --overwrite deletes), compared as files, so a link to one
     * counts too. Any other file in --out is the user's own and stays: training only adds its files.
     */
    private void refuseDataThatTrainingWrites() throws IOException {
        if (!Files.isRegularFile(data) || !Files.isDirectory(out)) {
            return; // no data to lose, or nothing in --out yet that could be it
        }
        List<Path> written = new java.util.ArrayList<>(WRITTEN.stream().map(out::resolve).toList());
        try (Stream<Path> children = Files.list(out)) {
            for (Path dir : children.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+")
                    && Files.isDirectory(p)).toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.forEach(written::add);
                }
            }
        }
        Path real = data.toRealPath();
        Path dir = real.getParent();
        boolean ours = dir != null && dir.getFileName() != null
                && dir.getFileName().toString().matches("checkpoint-\\d+") && dir.getParent() != null
                && Files.isSameFile(dir.getParent(), out);
        for (Path f : written) {
            if (Files.exists(f) && Files.isSameFile(f, data)) {
                ours = true;
            }
        }
        if (ours) {
            throw new InputException("--data " + data + " is a file that training writes in --out " + out
                    + "; move it out of there, or give another --out.");
        }
    }

    /** The replaced training's checkpoint-N folders, which would otherwise pass for the new one's. */
    private void deleteCheckpoints() throws IOException {
        try (Stream<Path> children = Files.list(out)) {
            for (Path dir : children.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+")
                    && Files.isDirectory(p)).toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
            }
        }
    }
}
