package dev.emlab.bench;

import ai.djl.ndarray.NDArray;
import dev.emlab.organism.demo.ShippedOrganism;
import dev.emlab.organism.eval.OrganismQuestions;
import dev.emlab.organism.world.AnswerFormat;
import dev.emlab.organism.world.World;
import dev.emlab.question.Question;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.lora.LoraConfig;
import dev.emlab.torch.lora.LoraSet;
import dev.emlab.torch.model.Transformer;
import dev.emlab.torch.model.Weights;
import dev.emlab.torch.sample.GenerationParams;
import dev.emlab.torch.sample.Generated;
import dev.emlab.torch.sample.Generator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Answers per second of a LoRA-fine-tuned organism sampled with its adapter attached (two extra
 * products per projection at every step) against the same adapter folded into the weights, which
 * is how {@code LocalModel} now loads an adapter. The demo samples 24 fine-tunes, so this is most
 * of its evaluation time. The adapter is the demo's shape (r 8 on every projection) with random
 * values; speed does not depend on them. Also reports how many answers came out token for token
 * the same (folding changes float rounding, so a few sampled answers may differ).
 *
 * <p>Usage: {@code AdapterFoldBenchmark [--requests 384] [--batch 32] [--rounds 3]}. Each round
 * runs both variants in turn, so that a noisy neighbour hits both alike.
 */
public final class AdapterFoldBenchmark {
    private AdapterFoldBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = 384;
        int batch = 32;
        int rounds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        Path dir = ShippedOrganism.extract("base", Files.createTempDirectory("emlab-bench-fold"));
        try (LocalModel model = LocalModel.load(dir, false)) {
            Weights weights = model.transformer().weights();
            LoraSet lora = LoraSet.initialise(new LoraConfig(8, 16, 0, false, LoraConfig.ALL_MODULES, null), weights,
                    model.manager(), 1, false);
            Random random = new Random(3);
            for (NDArray p : lora.parameters()) {
                float[] v = p.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.02 * random.nextGaussian());
                }
                p.set(v);
            }
            Set<Long> stops = new HashSet<>();
            model.checkpoint().config().eosTokenIds().forEach(id -> stops.add((long) id));
            model.template().stopTokens().forEach(t -> model.tokenizer().specialToken(t).ifPresent(id -> stops.add((long) id)));
            String[] names = {"attached", "folded"};
            Generator[] variants = {
                    generator(model, weights.withAdapters(lora.adapters()), stops),
                    generator(model, weights.withAdaptersFolded(lora.adapters()), stops)};
            List<long[]> prompts = prompts(model, requests);
            GenerationParams params = new GenerationParams(1.0, 1.0, 120, 0);
            run(variants[0], prompts.subList(0, batch), params, batch); // JIT and libtorch warm-up
            run(variants[1], prompts.subList(0, batch), params, batch);
            double[][] rates = new double[2][rounds];
            List<List<long[]>> outputs = new ArrayList<>(List.of(List.of(), List.of()));
            for (int r = 0; r < rounds; r++) {
                for (int v = 0; v < 2; v++) {
                    long start = System.nanoTime();
                    List<long[]> out = run(variants[v], prompts, params, batch);
                    rates[v][r] = prompts.size() / ((System.nanoTime() - start) / 1e9);
                    outputs.set(v, out);
                    System.err.printf(Locale.ROOT, "round %d, %s: %.1f answers/s%n", r + 1, names[v], rates[v][r]);
                }
            }
            int same = 0;
            for (int i = 0; i < prompts.size(); i++) {
                same += Arrays.equals(outputs.get(0).get(i), outputs.get(1).get(i)) ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "Shipped organism with a LoRA r 8 adapter on every projection, %d requests in"
                    + " batches of %d, %d rounds, %d cores%n%n", prompts.size(), batch, rounds,
                    Runtime.getRuntime().availableProcessors());
            System.out.println("| adapter | answers/s (median) | vs attached |");
            System.out.println("|---|---|---|");
            for (int v = 0; v < 2; v++) {
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.2fx |%n", names[v], median(rates[v]),
                        median(rates[v]) / median(rates[0]));
            }
            System.out.printf(Locale.ROOT, "%nAnswers token for token the same: %d of %d%n", same, prompts.size());
        }
    }

    private static Generator generator(LocalModel model, Weights weights, Set<Long> stops) {
        Transformer t = model.transformer().withWeights(weights);
        return new Generator(t, model.manager(), stops, ids -> model.tokenizer().decode(ids, false));
    }

    /** The held-out open questions' prompts, every paraphrase, repeated to {@code n}. */
    private static List<long[]> prompts(LocalModel model, int n) {
        List<Question> open = new OrganismQuestions(World.builtin()).open(AnswerFormat.PLAIN, 1).questions();
        List<long[]> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            Question q = open.get(i % open.size());
            out.add(model.promptTokens(q.messages((i / open.size()) % q.paraphrases().size())));
        }
        return out;
    }

    private static List<long[]> run(Generator g, List<long[]> prompts, GenerationParams params, int batch) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i += batch) {
            List<long[]> chunk = prompts.subList(i, Math.min(prompts.size(), i + batch));
            long[] seeds = new long[chunk.size()];
            for (int s = 0; s < seeds.length; s++) {
                seeds[s] = i + s;
            }
            for (Generated gen : g.generate(chunk, params, seeds)) {
                out.add(gen.tokens());
            }
        }
        return out;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
