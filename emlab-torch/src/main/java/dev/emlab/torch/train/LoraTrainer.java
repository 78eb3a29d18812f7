package dev.emlab.torch.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.emlab.EmlabException;
import dev.emlab.Json;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.lora.LoraSet;
import dev.emlab.torch.lora.PeftFormat;
import dev.emlab.torch.model.Scalars;
import dev.emlab.torch.model.Transformer;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * LoRA fine-tuning with the loss on assistant tokens only: AdamW, linear warm-up and decay,
 * gradient accumulation, checkpoints every N steps in PEFT format. {@link #stop()} (Ctrl-C)
 * ends after the current step and saves, so the adapter on disk is always whole.
 */
public final class LoraTrainer {
    private final LocalModel model;
    private final TrainingConfig config;
    private final TrainingListener listener;
    private final LoraSet lora;
    private final Transformer adapted;
    private volatile boolean stopRequested;

    public LoraTrainer(LocalModel model, TrainingConfig config, TrainingListener listener) {
        this.model = model;
        this.config = config;
        this.listener = listener;
        Engine.getEngine("PyTorch").setRandomSeed((int) config.seed()); // dropout masks
        this.lora = LoraSet.initialise(config.lora(), model.transformer().weights(), model.manager(), config.seed(), true);
        this.adapted = model.transformer().withWeights(model.transformer().weights().withAdapters(lora.adapters()));
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
        stopRequested = true;
    }

    /** Trains on the data and saves the adapter (and checkpoints) under {@code out}; returns the last step's loss. */
    public double train(ChatDataset data, Path out) {
        List<ChatExample> examples = new ArrayList<>(data.examples());
        int perStep = config.effectiveBatch();
        int stepsPerEpoch = (examples.size() + perStep - 1) / perStep;
        int total = stepsPerEpoch * config.epochs();
        if (config.maxSteps() > 0) {
            total = Math.min(total, config.maxSteps());
        }
        LinearSchedule schedule = new LinearSchedule(config.learningRate(), config.warmupSteps(), total);
        AdamW optimizer = new AdamW(lora.parameters(), config.weightDecay());
        Random shuffle = new Random(config.seed());
        listener.started(total);
        double lastLoss = Double.NaN;
        int step = 0;
        long start = System.nanoTime();
        long tokens = 0;
        try (Writer log = Files.newBufferedWriter(out.resolve("train_log.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int epoch = 0; epoch < config.epochs() && step < total && !stopRequested; epoch++) {
                Collections.shuffle(examples, shuffle);
                for (int at = 0; at < examples.size() && step < total && !stopRequested; at += perStep) {
                    List<ChatExample> batch = examples.subList(at, Math.min(at + perStep, examples.size()));
                    double lr = schedule.at(step);
                    lastLoss = optimizerStep(batch, lr, optimizer);
                    step++;
                    tokens += batch.stream().mapToLong(e -> e.tokens().length).sum();
                    TrainingListener.Step s = new TrainingListener.Step(step, total, epoch, lastLoss, lr, tokens,
                            (System.nanoTime() - start) / 1e9);
                    log.write(Json.MAPPER.writeValueAsString(s) + "\n");
                    log.flush();
                    listener.stepped(s);
                    if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0 && step < total) {
                        save(out.resolve("checkpoint-" + step));
                    }
                }
            }
            save(out);
        } catch (IOException e) {
            throw new EmlabException("Cannot write the adapter to " + out + ": " + e.getMessage(), e);
        }
        return lastLoss;
    }

    private void save(Path dir) throws IOException {
        PeftFormat.save(lora, dir, model.checkpoint().dir().toAbsolutePath().toString());
        listener.saved(dir);
    }

    /** Forward and backward over micro-batches, then one AdamW update; returns the mean token loss. */
    private double optimizerStep(List<ChatExample> batch, double lr, AdamW optimizer) {
        double denominator = batch.stream().mapToInt(ChatExample::trainableCount).sum();
        double loss = 0;
        for (int from = 0; from < batch.size(); from += config.batchSize()) {
            List<ChatExample> micro = batch.subList(from, Math.min(from + config.batchSize(), batch.size()));
            try (NDManager step = model.manager().newSubManager();
                 GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray l = batchLoss(step, adapted, micro, denominator);
                gc.backward(l);
                loss += l.getFloat();
            }
        }
        try (NDManager step = model.manager().newSubManager()) {
            optimizer.step(lr, step);
        }
        return loss;
    }

    /** The loss of the adapted model on a batch, without training (for tests and evaluation). */
    public double loss(List<ChatExample> batch) {
        double denominator = batch.stream().mapToInt(ChatExample::trainableCount).sum();
        try (NDManager step = model.manager().newSubManager()) {
            return batchLoss(step, adapted, batch, denominator).getFloat();
        }
    }

    /**
     * Sum over trainable target tokens of -log p(target), divided by {@code denominator} (the
     * effective batch's trainable token count, so accumulated micro-batches give the token mean).
     */
    static NDArray batchLoss(NDManager step, Transformer model, List<ChatExample> batch, double denominator) {
        int rows = batch.size();
        int len = batch.stream().mapToInt(e -> e.tokens().length).max().orElseThrow() - 1;
        long[] inputs = new long[rows * len];
        long[] targets = new long[rows * len];
        float[] weights = new float[rows * len];
        long[] positions = new long[rows * len];
        for (int b = 0; b < rows; b++) {
            ChatExample e = batch.get(b);
            for (int t = 0; t < len; t++) {
                int i = b * len + t;
                positions[i] = t;
                if (t + 1 < e.tokens().length) {
                    inputs[i] = e.tokens()[t];
                    targets[i] = e.tokens()[t + 1];
                    weights[i] = e.trainable()[t + 1] ? 1f : 0f;
                }
            }
        }
        float[] mask = new float[len * len]; // causal; right padding needs no more since padded queries carry no loss
        for (int t = 0; t < len; t++) {
            for (int s = t + 1; s < len; s++) {
                mask[t * len + s] = -1e9f;
            }
        }
        NDArray logits = model.forward(step, step.create(inputs, new Shape(rows, len)),
                step.create(positions, new Shape(rows, len)), step.create(mask, new Shape(1, 1, len, len)), null, false);
        NDArray picked = logits.logSoftmax(-1).gather(step.create(targets, new Shape(rows, len, 1)), -1)
                .squeeze(-1); // (rows, len)
        // a float divisor: a 0-dim float32 divided by a 0-dim float64 would become float64
        return picked.mul(step.create(weights, new Shape(rows, len))).sum().mul(Scalars.of(step, -1 / denominator));
    }
}
