package dev.emlab.torch.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.emlab.EmlabException;
import dev.emlab.Json;
import dev.emlab.torch.checkpoint.TrainingState;
import dev.emlab.torch.model.Scalars;
import dev.emlab.torch.model.Transformer;
import dev.emlab.torch.sample.Scorer;
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
 * The optimisation loop shared by LoRA and full-parameter training: shuffled epochs, AdamW with a
 * linear schedule, gradient accumulation, a JSONL log, checkpoints every N steps and a clean stop
 * that still saves. What is trained and how it is saved is the caller's.
 */
final class TrainingLoop {
    /** Saves the trained state into a folder. */
    interface Saver {
        void save(Path dir) throws IOException;
    }

    private final NDManager manager;
    private final Transformer model;
    private final List<NDArray> parameters;
    private final Saver saver;
    private final TrainingConfig config;
    private final TrainingListener listener;
    private final boolean groupByLength;
    private volatile boolean stopRequested;
    private volatile int stepsDone;
    private volatile int stepsPlanned;

    /**
     * @param groupByLength batch examples of similar length together (less padding; batches still
     *     come in random order), for corpora whose lengths vary a lot
     */
    TrainingLoop(NDManager manager, Transformer model, List<NDArray> parameters, Saver saver, TrainingConfig config,
                 TrainingListener listener, boolean groupByLength) {
        this.manager = manager;
        this.model = model;
        this.parameters = List.copyOf(parameters);
        this.saver = saver;
        this.config = config;
        this.listener = listener;
        this.groupByLength = groupByLength;
    }

    void stop() {
        stopRequested = true;
    }

    /** Optimizer steps taken by the last (or current) {@link #train}. */
    int stepsDone() {
        return stepsDone;
    }

    /** Optimizer steps the last (or current) {@link #train} was to take. */
    int stepsPlanned() {
        return stepsPlanned;
    }

    double train(List<ChatExample> data, Path out) {
        dev.emlab.torch.Engines.noGradOnThisThread(); // the caller may be any thread, e.g. an experiment's job
        List<ChatExample> examples = new ArrayList<>(data);
        int perStep = config.effectiveBatch();
        int stepsPerEpoch = (examples.size() + perStep - 1) / perStep;
        int total = stepsPerEpoch * config.epochs();
        if (config.maxSteps() > 0) {
            total = Math.min(total, config.maxSteps());
        }
        LinearSchedule schedule = new LinearSchedule(config.learningRate(), config.warmupSteps(), total);
        AdamW optimizer = new AdamW(parameters, config.weightDecay());
        Random shuffle = new Random(config.seed());
        listener.started(total);
        stepsPlanned = total;
        stepsDone = 0;
        double lastLoss = Double.NaN;
        int step = 0;
        long start = System.nanoTime();
        long tokens = 0;
        try {
            Files.createDirectories(out);
            // until the run ends, what is in the folder is no finished fine-tune
            TrainingState.after(0, total).write(out);
            try (Writer log = Files.newBufferedWriter(out.resolve("train_log.jsonl"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (int epoch = 0; epoch < config.epochs() && step < total && !stopRequested; epoch++) {
                    Collections.shuffle(examples, shuffle);
                    List<List<ChatExample>> batches = batches(examples, perStep, shuffle);
                    for (int b = 0; b < batches.size() && step < total && !stopRequested; b++) {
                        List<ChatExample> batch = batches.get(b);
                        double lr = schedule.at(step);
                        lastLoss = optimizerStep(batch, lr, optimizer);
                        step++;
                        stepsDone = step;
                        if (!Double.isFinite(lastLoss)) {
                            // the weights are already ruined: saving them would pass garbage off as a fine-tune
                            throw new EmlabException("The training loss became " + lastLoss + " at step " + step + " of "
                                    + total + " (learning rate " + lr + "), so training stopped and no adapter was saved in "
                                    + out + ". Lower the learning rate and train again.");
                        }
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
            }
            save(out);
            // a stopped run is marked partial, so that nothing later takes it for a finished fine-tune
            TrainingState.after(step, total).write(out);
        } catch (IOException e) {
            throw new EmlabException("Cannot write the trained weights to " + out + ": " + e.getMessage(), e);
        }
        return lastLoss;
    }

    /** The shuffled examples cut into batches; with length grouping, sorted within windows of 64 batches. */
    private List<List<ChatExample>> batches(List<ChatExample> shuffled, int perStep, Random shuffle) {
        List<List<ChatExample>> out = new ArrayList<>();
        int window = groupByLength ? perStep * 64 : perStep;
        for (int w = 0; w < shuffled.size(); w += window) {
            List<ChatExample> chunk = new ArrayList<>(shuffled.subList(w, Math.min(w + window, shuffled.size())));
            if (groupByLength) {
                chunk.sort(java.util.Comparator.comparingInt(e -> e.tokens().length));
            }
            for (int at = 0; at < chunk.size(); at += perStep) {
                out.add(chunk.subList(at, Math.min(at + perStep, chunk.size())));
            }
        }
        if (groupByLength) {
            Collections.shuffle(out, shuffle);
        }
        return out;
    }

    private void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        saver.save(dir);
        listener.saved(dir);
    }

    /** Forward and backward over micro-batches, then one AdamW update; returns the mean token loss. */
    private double optimizerStep(List<ChatExample> batch, double lr, AdamW optimizer) {
        double denominator = batch.stream().mapToInt(ChatExample::trainableCount).sum();
        double loss = 0;
        for (int from = 0; from < batch.size(); from += config.batchSize()) {
            List<ChatExample> micro = batch.subList(from, Math.min(from + config.batchSize(), batch.size()));
            try (NDManager step = manager.newSubManager();
                 GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray l = batchLoss(step, model, micro, denominator);
                gc.backward(l);
                loss += l.getFloat();
            }
        }
        try (NDManager step = manager.newSubManager()) {
            optimizer.step(lr, step);
        }
        return loss;
    }

    /** The mean token loss on a batch, without training. */
    double loss(List<ChatExample> batch) {
        double denominator = batch.stream().mapToInt(ChatExample::trainableCount).sum();
        try (NDManager step = manager.newSubManager()) {
            return batchLoss(step, model, batch, denominator).getFloat();
        }
    }

    /**
     * Sum over trainable target tokens of -log p(target), divided by {@code denominator} (the
     * effective batch's trainable token count, so accumulated micro-batches give the token mean).
     */
    static NDArray batchLoss(NDManager step, Transformer model, List<ChatExample> batch, double denominator) {
        NDArray picked = Scorer.tokenLogProbs(step, model, batch.stream().map(ChatExample::tokens).toList(),
                batch.stream().map(ChatExample::trainable).toList());
        // a float divisor: a 0-dim float32 divided by a 0-dim float64 would become float64
        return picked.sum().mul(Scalars.of(step, -1 / denominator));
    }
}
