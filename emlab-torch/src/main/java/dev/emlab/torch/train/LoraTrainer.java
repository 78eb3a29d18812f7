package dev.emlab.torch.train;

import ai.djl.engine.Engine;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.lora.LoraSet;
import dev.emlab.torch.lora.PeftFormat;
import dev.emlab.torch.model.Transformer;
import java.nio.file.Path;
import java.util.List;

/**
 * LoRA fine-tuning with the loss on assistant tokens only: AdamW, linear warm-up and decay,
 * gradient accumulation, checkpoints every N steps in PEFT format. {@link #stop()} (Ctrl-C)
 * ends after the current step and saves, so the adapter on disk is always whole, and marks it
 * partial in training_state.json.
 */
public final class LoraTrainer {
    private final LoraSet lora;
    private final Transformer adapted;
    private final TrainingLoop loop;

    public LoraTrainer(LocalModel model, TrainingConfig config, TrainingListener listener) {
        Engine.getEngine("PyTorch").setRandomSeed((int) config.seed()); // dropout masks
        this.lora = LoraSet.initialise(config.lora(), model.transformer().weights(), model.manager(), config.seed(), true);
        this.adapted = model.transformer().withWeights(model.transformer().weights().withAdapters(lora.adapters()));
        String base = model.checkpoint().dir().toAbsolutePath().toString();
        this.loop = new TrainingLoop(model.manager(), adapted, lora.parameters(),
                dir -> PeftFormat.save(lora, dir, base), config, listener, false);
    }

    public LoraSet lora() {
        return lora;
    }

    /** The base model with this trainer's adapters attached. */
    Transformer adapted() {
        return adapted;
    }

    /** Asks the loop to finish its current step, save, and return. */
    public void stop() {
        loop.stop();
    }

    /** Trains on the data and saves the adapter (and checkpoints) under {@code out}; returns the last step's loss. */
    public double train(ChatDataset data, Path out) {
        return loop.train(data.examples(), out);
    }

    /** Optimizer steps the last {@link #train} took; fewer than {@link #stepsPlanned()} after a stop. */
    public int stepsDone() {
        return loop.stepsDone();
    }

    /** Optimizer steps the last {@link #train} was to take. */
    public int stepsPlanned() {
        return loop.stepsPlanned();
    }

    /** The loss of the adapted model on a batch, without training (for tests and evaluation). */
    public double loss(List<ChatExample> batch) {
        return loop.loss(batch);
    }
}
