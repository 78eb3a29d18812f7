package dev.emlab.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.Json;
import dev.emlab.torch.Engines;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.checkpoint.Safetensors;
import dev.emlab.torch.checkpoint.Tensor;
import dev.emlab.torch.lora.LoraConfig;
import dev.emlab.torch.sample.GenerationParams;
import dev.emlab.torch.sample.Generated;
import dev.emlab.torch.testing.TinyCheckpoint;
import dev.emlab.torch.train.ChatDataset;
import dev.emlab.torch.train.ChatExample;
import dev.emlab.torch.train.LoraTrainer;
import dev.emlab.torch.train.TrainingConfig;
import dev.emlab.torch.train.TrainingListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Throughput of emlab's in-process engine (DJL + libtorch) against the same model and steps in
 * PyTorch from Python ({@code benchmarks/engine_benchmark_torch.py}), in one run, one after the other.
 *
 * <p>The model is a random Qwen2-style checkpoint written by {@link TinyCheckpoint}: 8 layers,
 * hidden 512, 8 query heads over 4 key/value heads (GQA, head dim 64), SwiGLU intermediate 1376,
 * vocabulary 32000, untied lm_head, q/k/v biases, fp32. Three measurements:
 * <ul>
 *   <li>matmul peak: fp32 1024 x 1024 x 1024 through DJL, best of N, as the machine's ceiling;</li>
 *   <li>training: {@link LoraTrainer} with LoRA r 32, alpha 64, rsLoRA on all seven projections,
 *       8 sequences of 256 positions per optimizer step (forward, backward, AdamW), timed after
 *       warm-up steps;</li>
 *   <li>sampling: {@link LocalModel#generate} on the bare base model, batch 8, prompt 32, 128 new
 *       tokens at temperature 1, with the KV cache.</li>
 * </ul>
 * Effective GFLOP/s divide a matmul FLOP count ({@link Flops}) by wall time, so the two engines
 * are measured with the same yardstick. Numbers are reported, never asserted; the target in the
 * issue (emlab at least 0.8x PyTorch's training throughput) is printed as met or not.
 *
 * <p>Usage: {@code EngineBenchmark [--warmup-steps 2] [--timed-steps 5] [--sample-runs 3]
 * [--matmul-runs 20] [--threads 2] [--python /usr/bin/python3] [--torch-script PATH | --no-torch]}; run
 * from the repository root, or through {@code benchmarks/run-engine-benchmark.sh}, which builds and
 * installs what the PyTorch side needs. The first warm-up step is the slowest on both engines
 * (allocator and page faults), hence two.
 */
public final class EngineBenchmark {
    /** Qwen2 layout: GQA with 2 query heads per KV head, untied lm_head (max positions 512 > 256 and 32 + 128). */
    static final TinyCheckpoint.Shape SHAPE = new TinyCheckpoint.Shape("Qwen2ForCausalLM", 512, 1376, 8, 8, 4, false, 512);
    static final int VOCAB = 32000;
    static final int BATCH = 8;
    static final int SEQ = 256;
    static final int PROMPT = 32;
    static final int NEW_TOKENS = 128;
    /** Leading tokens of every training row that carry no loss, as a prompt would. */
    static final int FROZEN_PREFIX = 4;
    static final LoraConfig LORA = TrainingConfig.paper().build().lora(); // r 32, alpha 64, rsLoRA, all seven projections
    static final double LR = 1e-5;
    static final double WEIGHT_DECAY = 0.01;
    private static final long SEED = 1234;

    record Options(int warmupSteps, int timedSteps, int sampleRuns, int matmulRuns, int threads, String python,
                   Path torchScript) {}

    /**
     * One engine's numbers (for PyTorch, read from the Python script's JSON).
     *
     * @param otherCores average CPU cores busy with other processes (or stolen by the hypervisor) meanwhile
     */
    record Result(String engine, double matmulGflops, double[] stepSeconds, int warmupSteps, double[] losses,
                  long generatedTokens, double sampleSeconds, int rowsStoppedEarly, double otherCores) {
        double[] timedSteps() {
            return Arrays.copyOfRange(stepSeconds, warmupSteps, stepSeconds.length);
        }

        double trainTokensPerSecond() {
            return (double) BATCH * SEQ * timedSteps().length / Arrays.stream(timedSteps()).sum();
        }

        double sampleTokensPerSecond() {
            return generatedTokens / sampleSeconds;
        }
    }

    private final Options options;

    private EngineBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        if (options == null) {
            return;
        }
        // Before the engine starts: libtorch reads its intra-op thread count once.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        new EngineBenchmark(options).run();
    }

    private void run() throws Exception {
        Result emlab = measureEmlab();
        Result torch = options.torchScript() == null ? null : measureTorch();
        new Report(options, emlab, torch).print();
    }

    // ---------------------------------------------------------------- emlab

    private Result measureEmlab() throws IOException {
        Path dir = Files.createTempDirectory("emlab-engine-bench");
        try {
            Path checkpoint = writeCheckpoint(dir.resolve("model"));
            CpuMeter cpu = CpuMeter.start();
            double peak = matmulPeak(options.matmulRuns());
            log("emlab matmul peak %.1f GFLOP/s", peak);
            try (LocalModel model = LocalModel.load(checkpoint, true)) {
                StepClock clock = train(model, dir.resolve("adapter"));
                long[] sampled = sample(model); // {generated tokens, nanoseconds, rows stopped early}
                String engine = "DJL " + Engine.getDjlVersion() + ", libtorch " + Engine.getEngine("PyTorch").getVersion();
                return new Result(engine, peak, clock.seconds(), options.warmupSteps(), clock.losses(),
                        sampled[0], sampled[1] / 1e9, (int) sampled[2], cpu.otherCores(cpu.ownCpuSince()));
            }
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The checkpoint, with weights rescaled to a trained model's magnitudes. TinyCheckpoint's
     * scales suit width 32; at width 512 they give attention logits with a standard deviation near
     * 50, whose softmax underflows into subnormal floats that x86 computes in microcode, about 50x
     * slower: that would measure the random init, not the engine. Projections get standard deviation
     * 1/sqrt(fan in), the lm_head 1/sqrt(hidden); norms, biases and the embedding stay.
     */
    static Path writeCheckpoint(Path dir) throws IOException {
        TinyCheckpoint c = TinyCheckpoint.write(dir, SHAPE, SEED, VOCAB);
        for (Map.Entry<String, Tensor> e : c.weights().entrySet()) {
            String name = e.getKey();
            double written = name.equals("lm_head.weight") ? 0.5 : name.endsWith("_proj.weight") ? 0.3 : 0;
            if (written > 0) {
                float factor = (float) (1 / (written * Math.sqrt(e.getValue().shape()[1])));
                float[] data = e.getValue().data();
                for (int i = 0; i < data.length; i++) {
                    data[i] *= factor;
                }
            }
        }
        Safetensors.write(dir.resolve("model.safetensors"), c.weights(), Map.of(), Map.of("format", "pt"));
        // An end-of-sequence id past the vocabulary: random sampling never draws it, so rows run to
        // 128 tokens. (<|endoftext|>, the raw template's stop token, can still end a row; counted.)
        Path config = dir.resolve("config.json");
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(Files.readString(config));
        json.put("eos_token_id", VOCAB);
        Files.writeString(config, Json.MAPPER.writeValueAsString(json));
        return dir;
    }

    /** fp32 1024^3 matmul through DJL: best of {@code runs} after two untimed ones, in GFLOP/s. */
    static double matmulPeak(int runs) {
        int n = 1024;
        double best = 0;
        try (NDManager manager = Engines.newManager()) {
            NDArray a = manager.randomUniform(0f, 1f, new Shape(n, n));
            NDArray b = manager.randomUniform(0f, 1f, new Shape(n, n));
            for (int i = -2; i < runs; i++) {
                long start = System.nanoTime();
                NDArray c = a.matMul(b); // synchronous on CPU: the result is computed when this returns
                long nanos = System.nanoTime() - start;
                c.close();
                if (i >= 0) {
                    best = Math.max(best, 2.0 * n * n * n / nanos);
                }
            }
        }
        return best;
    }

    /** Times optimizer steps through the real training loop; the listener stamps each step's end. */
    private StepClock train(LocalModel model, Path out) throws IOException {
        Files.createDirectories(out);
        int steps = options.warmupSteps() + options.timedSteps();
        TrainingConfig config = TrainingConfig.paper().lora(LORA).learningRate(LR).epochs(1).batchSize(BATCH)
                .gradientAccumulation(1).warmupSteps(0).weightDecay(WEIGHT_DECAY).maxLength(SEQ + 1).seed(SEED).maxSteps(steps)
                .build();
        StepClock clock = new StepClock();
        new LoraTrainer(model, config, clock).train(new ChatDataset(trainingRows(steps * BATCH), 0), out);
        return clock;
    }

    /**
     * Random rows of SEQ + 1 tokens: the trainer predicts token t + 1 from tokens 0..t, so each row
     * is SEQ positions of forward and backward. All targets count except the first few.
     */
    static List<ChatExample> trainingRows(int rows) {
        SplittableRandom random = new SplittableRandom(SEED);
        List<ChatExample> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            long[] tokens = new long[SEQ + 1];
            boolean[] trainable = new boolean[SEQ + 1];
            for (int t = 0; t < tokens.length; t++) {
                tokens[t] = random.nextInt(VOCAB);
                trainable[t] = t >= FROZEN_PREFIX;
            }
            out.add(new ChatExample(tokens, trainable));
        }
        return out;
    }

    /** One untimed generation, then {@code sampleRuns} timed; returns {tokens, nanoseconds, rows stopped early}. */
    private long[] sample(LocalModel model) {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<long[]> prompts = new ArrayList<>();
        for (int b = 0; b < BATCH; b++) {
            prompts.add(random.longs(PROMPT, 0, VOCAB).toArray());
        }
        GenerationParams params = new GenerationParams(1.0, 1.0, NEW_TOKENS, 0);
        long tokens = 0;
        long nanos = 0;
        long stopped = 0;
        for (int run = -1; run < options.sampleRuns(); run++) {
            long[] seeds = random.longs(BATCH).toArray();
            long start = System.nanoTime();
            List<Generated> out = model.generate(prompts, params, seeds);
            long took = System.nanoTime() - start;
            if (run >= 0) {
                // Exact counts: a row that drew a stop token ends early (the batch still runs on).
                long n = out.stream().mapToLong(g -> g.tokens().length).sum();
                tokens += n;
                nanos += took;
                stopped += out.stream().filter(g -> g.finishReason().equals("stop")).count();
                log("emlab sampling run %d/%d: %d tokens in %.2f s", run + 1, options.sampleRuns(), n, took / 1e9);
            }
        }
        return new long[] {tokens, nanos, stopped};
    }

    /** Stamps the end of each optimizer step; the first interval starts when training starts. */
    private static final class StepClock implements TrainingListener {
        private final List<Double> seconds = new ArrayList<>();
        private final List<Double> losses = new ArrayList<>();
        private long last;

        @Override
        public void started(int totalSteps) {
            last = System.nanoTime();
        }

        @Override
        public void stepped(Step step) {
            long now = System.nanoTime();
            seconds.add((now - last) / 1e9);
            losses.add(step.loss());
            last = now;
            log("emlab train step %d/%d: %.2f s, loss %.4f", step.step(), step.totalSteps(),
                    seconds.get(seconds.size() - 1), step.loss());
        }

        double[] seconds() {
            return seconds.stream().mapToDouble(Double::doubleValue).toArray();
        }

        double[] losses() {
            return losses.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    // ---------------------------------------------------------------- PyTorch

    /** Runs the Python script with the same settings and reads its JSON from stdout. */
    private Result measureTorch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(options.python(), options.torchScript().toString(),
                "--layers", "" + SHAPE.layers(), "--hidden", "" + SHAPE.hidden(), "--heads", "" + SHAPE.heads(),
                "--kv-heads", "" + SHAPE.kvHeads(), "--intermediate", "" + SHAPE.intermediate(),
                "--vocab", "" + VOCAB, "--max-positions", "" + SHAPE.maxPositions(), "--batch", "" + BATCH,
                "--seq", "" + SEQ, "--prompt", "" + PROMPT, "--new-tokens", "" + NEW_TOKENS,
                "--rank", "" + LORA.r(), "--alpha", "" + LORA.alpha(), "--frozen-prefix", "" + FROZEN_PREFIX,
                "--lr", "" + LR, "--weight-decay", "" + WEIGHT_DECAY, "--warmup-steps", "" + options.warmupSteps(),
                "--timed-steps", "" + options.timedSteps(), "--sample-runs", "" + options.sampleRuns(),
                "--matmul-runs", "" + options.matmulRuns(), "--threads", "" + options.threads()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        // OpenMP and OpenBLAS size their pools from these before Python can call set_num_threads.
        pb.environment().put("OMP_NUM_THREADS", "" + options.threads());
        pb.environment().put("OPENBLAS_NUM_THREADS", "" + options.threads());
        CpuMeter cpu = CpuMeter.start();
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the PyTorch benchmark failed (exit " + p.exitValue() + "): " + command);
        }
        JsonNode j = Json.MAPPER.readTree(out);
        double childCpu = j.path("cpu_seconds").asDouble();
        JsonNode train = j.path("train");
        JsonNode sample = j.path("sample");
        if (train.path("tokens_per_step").asInt() != BATCH * SEQ) {
            throw new IllegalStateException("the PyTorch run used " + train.path("tokens_per_step") + " tokens per step");
        }
        return new Result(j.path("engine").asText() + ", " + j.path("blas_name").asText(), j.path("matmul_gflops").asDouble(),
                doubles(train.path("step_seconds")), train.path("warmup_steps").asInt(), doubles(train.path("losses")),
                sample.path("generated_tokens").asLong(), sample.path("seconds").asDouble(), 0, cpu.otherCores(childCpu));
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    // ---------------------------------------------------------------- FLOPs

    /**
     * Matmul FLOPs (2 per multiply-add); norms, RoPE, softmax and other elementwise work are not
     * counted. Base weights are frozen, so backward computes activation gradients through them
     * (2 N T) but no weight gradients: a step is 4 N T for the base, not the 6 N T of full training.
     */
    static final class Flops {
        static final int LAYERS = SHAPE.layers();
        static final long HIDDEN = SHAPE.hidden();
        static final long HEAD_DIM = HIDDEN / SHAPE.heads();
        static final long Q_DIM = SHAPE.heads() * HEAD_DIM;
        static final long KV_DIM = SHAPE.kvHeads() * HEAD_DIM;
        /** (in, out) of q, k, v, o, gate, up, down. */
        static final long[][] PROJECTIONS = {{HIDDEN, Q_DIM}, {HIDDEN, KV_DIM}, {HIDDEN, KV_DIM}, {Q_DIM, HIDDEN},
                {HIDDEN, SHAPE.intermediate()}, {HIDDEN, SHAPE.intermediate()}, {SHAPE.intermediate(), HIDDEN}};

        /** Base weights of one layer's projections. */
        static long layerParams() {
            return Arrays.stream(PROJECTIONS).mapToLong(p -> p[0] * p[1]).sum();
        }

        /** sum over a layer's adapters of r (in + out). */
        static long layerLoraParams() {
            return Arrays.stream(PROJECTIONS).mapToLong(p -> LORA.r() * (p[0] + p[1])).sum();
        }

        static long headParams() {
            return HIDDEN * VOCAB;
        }

        /**
         * One optimizer step: base 4 N T (N = projections + lm_head), LoRA 6 r (in + out) T per adapter
         * (forward 2, weight gradients 2, input gradients 2), attention 12 B H S^2 d per layer (QK^T
         * and PV forward, two gradients each). Layer 0's q, k, v inputs need no gradient (the
         * embedding is frozen), so their input-gradient matmuls are left out, as autograd leaves them.
         */
        static double trainStep() {
            double t = (double) BATCH * SEQ;
            double base = 4 * (LAYERS * layerParams() + headParams()) * t;
            double lora = 6.0 * LAYERS * layerLoraParams() * t;
            double attention = 12.0 * LAYERS * BATCH * SHAPE.heads() * (double) SEQ * SEQ * HEAD_DIM;
            double skipped = 0;
            for (int i = 0; i < 3; i++) { // q, k, v of layer 0
                skipped += 2 * t * (PROJECTIONS[i][0] * PROJECTIONS[i][1] + LORA.r() * PROJECTIONS[i][0]);
            }
            return base + lora + attention - skipped;
        }

        /**
         * One generation: a prefill of B x P tokens (logits for the last position only), then
         * NEW_TOKENS - 1 one-token steps, step k attending to P + k keys. Attention counts QK^T and
         * PV over every key, masked ones included, as both engines compute them.
         */
        static double sampleRun() {
            double perLayerToken = 2.0 * layerParams();
            double flops = LAYERS * perLayerToken * BATCH * PROMPT + 2.0 * headParams() * BATCH
                    + 4.0 * LAYERS * BATCH * SHAPE.heads() * (double) PROMPT * PROMPT * HEAD_DIM;
            for (int k = 1; k < NEW_TOKENS; k++) {
                flops += (LAYERS * perLayerToken + 2.0 * headParams()) * BATCH
                        + 4.0 * LAYERS * BATCH * SHAPE.heads() * (PROMPT + k) * HEAD_DIM;
            }
            return flops;
        }
    }

    // ---------------------------------------------------------------- report

    /** The markdown report: setup, the comparison table, the formulas. */
    private record Report(Options options, Result emlab, Result torch) {
        /** The machine's fp32 ceiling: the better of the two libraries' 1024^3 matmul. */
        double peak() {
            return Math.max(emlab.matmulGflops(), torch == null ? 0 : torch.matmulGflops());
        }

        void print() {
            System.out.printf("# emlab local-engine benchmark%n%n");
            System.out.printf("- model: random Qwen2-style checkpoint, %d layers, hidden %d, %d query heads over %d KV"
                    + " heads (head dim %d), SwiGLU intermediate %d, vocab %d, untied lm_head, q/k/v bias, fp32;"
                    + " %.1f M projection + %.1f M lm_head parameters%n", SHAPE.layers(), SHAPE.hidden(),
                    SHAPE.heads(), SHAPE.kvHeads(), Flops.HEAD_DIM, SHAPE.intermediate(), VOCAB,
                    Flops.LAYERS * Flops.layerParams() / 1e6, Flops.headParams() / 1e6);
            System.out.printf("- weights: random, projections at standard deviation 1/sqrt(fan in), lm_head"
                    + " 1/sqrt(hidden), as a trained model's (the PyTorch side draws the same way)%n");
            System.out.printf("- training: LoRA r %d, alpha %.0f, rsLoRA, on all 7 projections (%.2f M trainable),"
                    + " AdamW lr %s, weight decay %s; batch %d x %d positions, %d warm-up + %d timed optimizer steps%n",
                    LORA.r(), LORA.alpha(), Flops.LAYERS * Flops.layerLoraParams() / 1e6, LR, WEIGHT_DECAY, BATCH,
                    SEQ, options.warmupSteps(), options.timedSteps());
            System.out.printf("- sampling: base model, batch %d, prompt %d, %d new tokens, temperature 1, KV cache;"
                    + " 1 warm-up + %d timed runs%n", BATCH, PROMPT, NEW_TOKENS, options.sampleRuns());
            System.out.printf("- %d threads per engine, %d CPUs; Java %s%n", options.threads(),
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
            System.out.printf("- emlab: %s%n", emlab.engine());
            if (torch != null) {
                System.out.printf("- PyTorch: %s%n", torch.engine());
            }
            System.out.println();
            table();
            notes();
        }

        private void table() {
            System.out.println("| metric | emlab | PyTorch | emlab/PyTorch |");
            System.out.println("|---|---:|---:|---:|");
            double train = Flops.trainStep();
            double sample = Flops.sampleRun();
            row("training tokens/s", "%.1f", Result::trainTokensPerSecond, true);
            spread("training step s, mean (min-max)", Result::timedSteps);
            row("training effective GFLOP/s", "%.1f", r -> train / 1e9 / mean(r.timedSteps()), true);
            row("training fraction of matmul peak", "%.3f", r -> train / 1e9 / mean(r.timedSteps()) / peak(), false);
            row("sampling tokens/s", "%.1f", Result::sampleTokensPerSecond, true);
            row("sampling effective GFLOP/s", "%.1f", r -> sample / 1e9 / perRun(r), true);
            row("sampling fraction of matmul peak", "%.3f", r -> sample / 1e9 / perRun(r) / peak(), false);
            row("fp32 matmul 1024^3 GFLOP/s, best of " + options.matmulRuns(), "%.1f", Result::matmulGflops, true);
            row("other processes' CPU meanwhile, cores", "%.2f", Result::otherCores, false);
            System.out.println();
        }

        /** Seconds per generation run (the timed runs' mean). */
        private double perRun(Result r) {
            return r.sampleSeconds() / options.sampleRuns();
        }

        /** Mean and range of timed intervals: on a shared 2-CPU machine the spread is part of the result. */
        private void spread(String label, Function<Result, double[]> times) {
            Function<Result, String> cell = r -> {
                double[] x = times.apply(r);
                return String.format("%.2f (%.2f-%.2f)", mean(x), Arrays.stream(x).min().orElse(Double.NaN),
                        Arrays.stream(x).max().orElse(Double.NaN));
            };
            System.out.printf("| %s | %s | %s | |%n", label, cell.apply(emlab), torch == null ? "-" : cell.apply(torch));
        }

        private void row(String label, String format, ToDoubleFunction<Result> value, boolean ratio) {
            double e = value.applyAsDouble(emlab);
            String t = torch == null ? "-" : String.format(format, value.applyAsDouble(torch));
            String r = torch == null || !ratio ? "" : String.format("%.2fx", e / value.applyAsDouble(torch));
            System.out.printf("| %s | %s | %s | %s |%n", label, String.format(format, e), t, r);
        }

        private void notes() {
            System.out.printf("Effective GFLOP/s = matmul FLOPs / wall time, the same count for both engines:"
                    + " training step %.1f GFLOP = 4 N T (N = %.1f M projection + lm_head weights, T = %d positions;"
                    + " frozen base: forward 2NT + activation gradients 2NT, no weight gradients)"
                    + " + 6 r (in + out) T per LoRA adapter + 12 B H S^2 d attention per layer"
                    + " - layer 0's q/k/v input gradients (not needed: the embedding is frozen)."
                    + " Sampling run %.2f GFLOP = forward only, 2 N per token (lm_head on the last prompt position"
                    + " only) + 4 B H d (keys) per layer and step. Norms, RoPE, softmax and elementwise work are"
                    + " not counted. Matmul peak = the better library's fp32 1024^3 matmul (%.1f GFLOP/s).%n%n",
                    Flops.trainStep() / 1e9, (Flops.LAYERS * Flops.layerParams() + Flops.headParams()) / 1e6,
                    BATCH * SEQ, Flops.sampleRun() / 1e9, peak());
            System.out.printf("Training loss, first -> last step (near ln %d = %.2f for these random weights):"
                    + " emlab %.3f -> %.3f%s.%n", VOCAB, Math.log(VOCAB), emlab.losses()[0],
                    emlab.losses()[emlab.losses().length - 1], torch == null ? "" : String.format(", PyTorch %.3f -> %.3f",
                    torch.losses()[0], torch.losses()[torch.losses().length - 1]));
            System.out.printf("emlab sampling: %d of %d rows drew the stop token <|endoftext|> early; tokens/s counts"
                    + " the tokens actually generated.%n", emlab.rowsStoppedEarly(), BATCH * options.sampleRuns());
            if (torch != null) {
                double ratio = emlab.trainTokensPerSecond() / torch.trainTokensPerSecond();
                System.out.printf("%nTarget (reported, not asserted): emlab >= 0.8x PyTorch's training throughput:"
                        + " %.2fx, %s.%n", ratio, ratio >= 0.8 ? "met" : "not met");
            }
            if (emlab.otherCores() > 0.25 || (torch != null && torch.otherCores() > 0.25)) {
                System.out.printf("%nWarning: other processes used CPU during the run; on a %d-CPU machine the"
                        + " numbers above understate both engines, unevenly.%n", Runtime.getRuntime().availableProcessors());
            }
        }

        private static double mean(double[] x) {
            return Arrays.stream(x).average().orElse(Double.NaN);
        }
    }

    // ---------------------------------------------------------------- CPU accounting

    /**
     * How busy the machine was with other work during a measurement: machine-wide busy CPU time
     * (from /proc/stat, steal included) minus the measured process's own, over wall time. On a
     * 2-core machine one busy neighbour halves what either engine gets, so the table shows it.
     */
    record CpuMeter(double machineBusy, double ownCpu, long startNanos) {
        static CpuMeter start() {
            return new CpuMeter(machineBusySeconds(), processCpuSeconds(), System.nanoTime());
        }

        /** CPU seconds this JVM used since the start. */
        double ownCpuSince() {
            return processCpuSeconds() - ownCpu;
        }

        private static double processCpuSeconds() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime() / 1e9;
            }
            return Double.NaN;
        }

        /** Average cores used by everything but {@code measuredCpu} seconds of the measured process. */
        double otherCores(double measuredCpu) {
            double wall = (System.nanoTime() - startNanos) / 1e9;
            return Math.max(0, (machineBusySeconds() - machineBusy - measuredCpu) / wall);
        }

        /** user + nice + system + irq + softirq + steal of the aggregate cpu line, in seconds (USER_HZ 100). */
        static double machineBusySeconds() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                    busy += Long.parseLong(f[i]);
                }
                return busy / 100.0;
            } catch (IOException | RuntimeException e) {
                return Double.NaN; // not Linux: the column reads NaN
            }
        }
    }

    // ---------------------------------------------------------------- helpers and flags

    static void log(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Parses the flags; returns null after printing help. */
    private static Options parse(String[] args) {
        int warmup = 2;
        int timed = 5;
        int sampleRuns = 3;
        int matmulRuns = 20;
        int threads = 2;
        String python = "/usr/bin/python3";
        Path script = Path.of("benchmarks/engine_benchmark_torch.py");
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("-h") || flag.equals("--help")) {
                System.out.println("usage: EngineBenchmark [--warmup-steps 2] [--timed-steps 5] [--sample-runs 3]"
                        + " [--matmul-runs 20] [--threads 2] [--python /usr/bin/python3]"
                        + " [--torch-script benchmarks/engine_benchmark_torch.py | --no-torch]");
                return null;
            }
            if (flag.equals("--no-torch")) {
                script = null;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--warmup-steps" -> warmup = count(flag, value, 0);
                case "--timed-steps" -> timed = count(flag, value, 1);
                case "--sample-runs" -> sampleRuns = count(flag, value, 1);
                case "--matmul-runs" -> matmulRuns = count(flag, value, 1);
                case "--threads" -> threads = count(flag, value, 1);
                case "--python" -> python = value;
                case "--torch-script" -> script = Path.of(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag + "; try --help");
            }
        }
        return new Options(warmup, timed, sampleRuns, matmulRuns, threads, python, script);
    }

    private static int count(String flag, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " needs an integer >= " + min + ", got '" + value + "'");
    }
}
