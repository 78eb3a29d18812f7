package dev.emlab.torch.train;

import dev.emlab.EmlabException;
import dev.emlab.InputException;
import dev.emlab.model.LocalRef;
import dev.emlab.train.FineTuneRequest;
import dev.emlab.train.FineTuneResult;
import dev.emlab.train.FineTuneSession;
import dev.emlab.train.FineTuner;
import dev.emlab.train.TrainedCheckpoint;
import dev.emlab.torch.LocalModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The in-process backend: LoRA training of a local checkpoint with {@link LoraTrainer}. The
 * adapter (and its checkpoints) go to {@code workDir/adapter}; an interrupted fine-tune starts
 * over, since the trainer keeps no optimizer state between runs.
 */
public final class LocalFineTuner implements FineTuner {
    private final UnaryOperator<LocalRef> prepare;

    /** @param prepare makes a reference's checkpoint available on disk (e.g. unpacks a shipped one) */
    public LocalFineTuner(UnaryOperator<LocalRef> prepare) {
        this.prepare = prepare;
    }

    @Override
    public FineTuneResult fineTune(FineTuneRequest request, FineTuneSession session) {
        if (!(request.base() instanceof LocalRef ref) || ref.adapter() != null) {
            throw new InputException("Local training needs a local checkpoint without an adapter, not " + request.base().text() + ".");
        }
        LocalRef base = prepare.apply(ref);
        // before the adapter folder is cleared: a spec's max_length the model cannot take changes nothing on disk
        int defaultLength = dev.emlab.train.TrainSettings.paperLocal().maxLength();
        MaxLength.Checked length = MaxLength.check(base.checkpoint(), request.settings().maxLength(), "train.max_length",
                request.settings().maxLength() != defaultLength);
        if (length.capped()) {
            session.event("train.max_length " + defaultLength + " (the default) is capped to the model's "
                    + length.positions() + " positions");
        }
        TrainingConfig config = TrainingConfig.from(request.settings()).seed(request.seed())
                .checkpointEvery(request.checkpointEvery()).maxLength(length.value()).build();
        Path out = request.workDir().resolve("adapter");
        deleteTree(out); // what an interrupted attempt left is not resumable
        long[] tokens = {0};
        try (LocalModel model = LocalModel.load(base.checkpoint(), false)) {
            ChatDataset data = ChatDataset.load(request.trainingFile(), model, config.maxLength());
            LoraTrainer[] trainer = new LoraTrainer[1];
            trainer[0] = new LoraTrainer(model, config, new TrainingListener() {
                @Override
                public void stepped(Step step) {
                    tokens[0] = step.tokens();
                    session.progress(String.format(Locale.ROOT, "step %d/%d, loss %.4f", step.step(), step.totalSteps(),
                            step.loss()), step.step() / (double) step.totalSteps());
                    if (session.stopRequested()) {
                        trainer[0].stop();
                    }
                }
            });
            if (session.stopRequested()) {
                throw stopped();
            }
            trainer[0].train(data, out);
        }
        if (session.stopRequested()) {
            throw stopped();
        }
        List<TrainedCheckpoint> checkpoints = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(out)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+")).toList()) {
                int step = Integer.parseInt(d.getFileName().toString().substring("checkpoint-".length()));
                checkpoints.add(new TrainedCheckpoint(step, withAdapter(ref, d)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        checkpoints.sort(Comparator.comparingInt(TrainedCheckpoint::step));
        return new FineTuneResult(withAdapter(ref, out), checkpoints, tokens[0], null);
    }

    /** The base's own spelling (e.g. {@code organism:base}) with the adapter's absolute path. */
    private static String withAdapter(LocalRef base, Path adapter) {
        return base.text() + "+adapter=" + adapter.toAbsolutePath();
    }

    private static EmlabException stopped() {
        return new EmlabException("Stopped; this fine-tune starts over on the next run.");
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new EmlabException("Cannot clear " + dir + " for a new fine-tune: " + e.getMessage(), e);
        }
    }
}
