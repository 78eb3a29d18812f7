package dev.emlab.cli;

import dev.emlab.InputException;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.torch.checkpoint.DType;
import dev.emlab.torch.lora.Merger;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code emlab merge}: a checkpoint with a LoRA adapter folded into its weights. */
@Command(mixinStandardHelpOptions = true, name = "merge", sortOptions = false, description = "Write a checkpoint whose weights include a LoRA adapter (W + scale B A).")
public final class MergeCommand implements Callable<Integer> {
    /** Storage types a user can ask for. */
    enum StoreType { same, f32, bf16 }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "local:DIR+adapter=ADAPTER", description = "The base checkpoint and the adapter.")
    String model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty folder for the merged checkpoint; one with files in it is refused.")
    Path out;

    @Option(names = "--dtype", defaultValue = "same", description = "same (as the base), f32 or bf16 (default: ${DEFAULT-VALUE}).")
    StoreType dtype;


    @Override
    public Integer call() throws IOException {
        if (!(ModelRef.parse(model) instanceof LocalRef ref) || ref.adapter() == null) {
            throw new InputException("--model must name a checkpoint and an adapter: local:/base+adapter=/adapter.");
        }
        ModelConnector.checkLoadable(ref, "--model");
        ModelConnector.shipped(ref); // an organism: base is copied out of emlab's jar first, as everywhere else
        OptionChecks.folder("--out", out);
        // a folder with files in it (the user's config.json, the adapter's own folder) is never merged into
        if (!Merger.isEmptyOrMissing(out)) {
            throw new InputException("--out " + out + " is not empty; give a new or empty folder for the merged checkpoint.");
        }
        DType type = switch (dtype) {
            case same -> null;
            case f32 -> DType.F32;
            case bf16 -> DType.BF16;
        };
        Merger.merge(ref.checkpoint(), ref.adapter(), out, type);
        spec.commandLine().getOut().println("merged checkpoint: " + out);
        return 0;
    }
}
