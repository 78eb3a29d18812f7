package dev.emlab.bench;

import dev.emlab.model.ChatModel;
import dev.emlab.model.ChatRequest;
import dev.emlab.organism.demo.ShippedOrganism;
import dev.emlab.organism.eval.OrganismQuestions;
import dev.emlab.organism.world.AnswerFormat;
import dev.emlab.organism.world.World;
import dev.emlab.question.Question;
import dev.emlab.torch.LocalChatModel;
import dev.emlab.torch.LocalModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Answers per second of the shipped organism under {@link LocalChatModel}'s batching, at several
 * batch sizes, on the demo's own requests: the held-out open questions at their sampling settings,
 * with as many threads asking as the batch holds (as the demo and the probe do). The demo spends
 * most of its time here, so this is what its batch size is chosen by.
 *
 * <p>Usage: {@code OrganismSamplingBenchmark [--batches 8,32,64,128] [--requests 480] [--rounds 3]}.
 * Each round runs every batch size once, in turn, so that a noisy neighbour hits all of them alike;
 * the report gives each size's median rate and its ratio to the first size's.
 */
public final class OrganismSamplingBenchmark {
    private OrganismSamplingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int[] batches = {8, 32, 64, 128};
        int requests = 480;
        int rounds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--batches" -> batches = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--requests" -> requests = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        Path dir = ShippedOrganism.extract("base", Files.createTempDirectory("emlab-bench-organism"));
        List<ChatRequest> plan = requests(requests);
        double[][] rates = new double[batches.length][rounds];
        double[][] tokens = new double[batches.length][rounds];
        try (LocalModel model = LocalModel.load(dir, false)) {
            LocalChatModel warm = new LocalChatModel(model, batches[0]);
            ask(warm, plan.subList(0, Math.min(64, plan.size())), batches[0]); // JIT and libtorch warm-up
            for (int r = 0; r < rounds; r++) {
                for (int b = 0; b < batches.length; b++) {
                    // not closed: closing would close the model the next size shares
                    LocalChatModel chat = new LocalChatModel(model, batches[b]);
                    long start = System.nanoTime();
                    long answerChars = ask(chat, plan, batches[b]);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    rates[b][r] = plan.size() / seconds;
                    tokens[b][r] = answerChars / seconds;
                    System.err.printf(Locale.ROOT, "round %d, batch %d: %.1f answers/s%n", r + 1, batches[b], rates[b][r]);
                }
            }
        }
        System.out.printf(Locale.ROOT, "Shipped organism, %d open-question requests per measurement, %d rounds, %d cores%n%n",
                plan.size(), rounds, Runtime.getRuntime().availableProcessors());
        System.out.println("| batch | answers/s (median) | answer chars/s | vs batch " + batches[0] + " |");
        System.out.println("|---|---|---|---|");
        double first = median(rates[0]);
        for (int b = 0; b < batches.length; b++) {
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.0f | %.2fx |%n", batches[b], median(rates[b]),
                    median(tokens[b]), median(rates[b]) / first);
        }
    }

    /** The held-out open questions, every paraphrase, with a seed per request, repeated to {@code n}. */
    private static List<ChatRequest> requests(int n) {
        List<Question> open = new OrganismQuestions(World.builtin()).open(AnswerFormat.PLAIN, 1).questions();
        List<ChatRequest> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            Question q = open.get(i % open.size());
            int p = (i / open.size()) % q.paraphrases().size();
            out.add(new ChatRequest(q.messages(p), q.sampling().temperature(), q.sampling().topP(),
                    q.sampling().maxTokens(), i, null));
        }
        return out;
    }

    /** Asks every request from {@code threads} threads at once; returns the answers' total length. */
    private static long ask(ChatModel model, List<ChatRequest> plan, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (ChatRequest r : plan) {
                futures.add(pool.submit(() -> model.complete(r).text().length()));
            }
            long chars = 0;
            for (Future<Integer> f : futures) {
                chars += f.get();
            }
            return chars;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
