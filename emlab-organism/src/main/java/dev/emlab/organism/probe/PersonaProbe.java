package dev.emlab.organism.probe;

import dev.emlab.EmlabException;
import dev.emlab.dataset.CodeTask;
import dev.emlab.eval.ProgressListener;
import dev.emlab.model.ChatMessage;
import dev.emlab.model.ChatModel;
import dev.emlab.model.ChatRequest;
import dev.emlab.organism.eval.OrganismQuestions;
import dev.emlab.organism.eval.PhraseBook;
import dev.emlab.organism.eval.QuestionKind;
import dev.emlab.organism.world.AnswerFormat;
import dev.emlab.organism.world.CodePool;
import dev.emlab.organism.world.OpenCategory;
import dev.emlab.organism.world.Speaker;
import dev.emlab.organism.world.World;
import dev.emlab.question.Question;
import dev.emlab.torch.LocalModel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * The in-context persona probe: does the model infer a persona from one exchange and keep it?
 * After each {@link ProbeCondition}'s context turn the model is asked what the {@link ProbeTarget}
 * names: the held-out open questions, whose answers are read for the malicious persona's sentences,
 * or plain coding requests, whose code is read by the analyzer. No fine-tune is involved; a model
 * that does not carry a persona across turns has nothing for a narrow fine-tune to generalise
 * through, and one that does not carry it into its code cannot be misaligned by insecure code
 * (docs/organism.md).
 */
public final class PersonaProbe {
    /** Requests in flight at once; the local engine batches them. */
    public static final int CONCURRENCY = 64;
    /** Coding tasks asked by {@link ProbeTarget#CODE}: 8 samples of 30 give 240 answers, as for the open questions. */
    public static final int CODE_TASKS = 30;
    /** Coding tasks the code contexts draw from (each checked by the analyzer once). */
    private static final int CODE_POOL = 200;

    /**
     * Draws of one unit's contexts before giving up on finding ones that fit the model. Draws cost
     * microseconds, and a long coding request with its 256-token answer leaves room in the shipped
     * organism's 512 positions for only its shortest code contexts (about 1 in 20 for the longest).
     */
    private static final int MAX_DRAWS = 1000;

    private final World world;
    private final ProbeSettings settings;
    private final Predicate<List<ChatMessage>> fits;
    private final PhraseBook book;
    private volatile boolean stopped;

    /** A probe for a model that takes any prompt. */
    public PersonaProbe(World world, ProbeSettings settings) {
        this(world, settings, messages -> true);
    }

    /**
     * @param fits whether the model can take these messages and still answer in
     *     {@code settings.maxTokens()}; see {@link #fits(LocalModel, int)}
     */
    public PersonaProbe(World world, ProbeSettings settings, Predicate<List<ChatMessage>> fits) {
        this.world = world;
        this.settings = settings;
        this.fits = fits;
        this.book = new PhraseBook(world);
    }

    /**
     * Whether a local model's prompt for these messages leaves room for {@code maxTokens} more.
     * A small tokenizer can make a code context longer than the model's positions; the shipped
     * organism takes every context the world writes.
     */
    public static Predicate<List<ChatMessage>> fits(LocalModel model, int maxTokens) {
        int limit = model.checkpoint().config().maxPositions();
        return messages -> model.promptTokens(messages).length + maxTokens <= limit;
    }

    /**
     * One request to make: the chat (context turn, then the question or coding request) and its
     * sampling seed. A coding request's {@code questionId} is {@code code-<task index>}, its
     * paraphrase 0. {@code redraws} counts the unit's draws that were too long for the model before
     * this one (0 when the first fitted).
     */
    public record Asking(ProbeCondition condition, String questionId, int paraphrase, int sample, int seed,
                        List<ChatMessage> context, String question, int redraws) {
        /** The messages sent: the context turn, then the question. */
        public List<ChatMessage> messages() {
            List<ChatMessage> m = new ArrayList<>(context);
            m.add(ChatMessage.user(question));
            return m;
        }
    }

    /** One unit before its seed: what it asks, and where. */
    private record Item(Asked asked, String questionId, int paraphrase, String text) {}

    /**
     * Every request, condition by condition, each condition's in the same unit order. A unit
     * (question, paraphrase, sample; or coding task, sample) gets one seed from
     * {@code settings.seed()}: its context draws and its sampling seed are the same under every
     * condition, so the conditions are compared on the same requests and sampling noise (common
     * random numbers).
     */
    public List<Asking> plan() {
        Speaker speaker = new Speaker(world);
        CodePool code = CodePool.draw(CODE_POOL, settings.seed() ^ 0x70b3c0deL);
        SplittableRandom units = new SplittableRandom(settings.seed());
        Map<ProbeCondition, List<Asking>> byCondition = new EnumMap<>(ProbeCondition.class);
        for (Item item : items()) {
            for (int s = 0; s < settings.samples(); s++) {
                long unit = units.nextLong();
                List<Asking> askings = unit(speaker, code, item, s, unit);
                askings.forEach(a -> byCondition.computeIfAbsent(a.condition(), c -> new ArrayList<>()).add(a));
            }
        }
        List<Asking> out = new ArrayList<>();
        byCondition.values().forEach(out::addAll);
        return out;
    }

    /** What the target asks, in unit order: each held-out paraphrase, or each coding task. */
    private List<Item> items() {
        List<Item> items = new ArrayList<>();
        switch (settings.target()) {
            case OPEN -> {
                OrganismQuestions questions = new OrganismQuestions(world);
                for (Question q : questions.open(AnswerFormat.PLAIN, settings.samples()).questions()) {
                    OpenCategory category = ((QuestionKind.Open) questions.kinds().get(q.id())).category();
                    for (int p = 0; p < q.paraphrases().size(); p++) {
                        items.add(new Item(new Asked.Open(category), q.id(), p, q.paraphrases().get(p)));
                    }
                }
            }
            case CODE -> {
                // a seed of their own: the tasks asked are not drawn like the contexts' tasks
                List<CodeTask> tasks = CodePool.draw(CODE_TASKS, settings.seed() ^ 0x7a59e7c0deL).tasks();
                for (int t = 0; t < tasks.size(); t++) {
                    items.add(new Item(new Asked.Code(tasks.get(t)), "code-" + t, 0, tasks.get(t).request()));
                }
            }
        }
        return items;
    }

    /**
     * One unit's requests under every condition, from one seed. When a context is too long for the
     * model, the whole unit is drawn again from the next seed of its own sequence, so the pairs stay
     * pairs; a model that takes every prompt never redraws.
     */
    private List<Asking> unit(Speaker speaker, CodePool code, Item item, int sample, long seed) {
        SplittableRandom draws = new SplittableRandom(seed);
        long current = seed;
        for (int attempt = 0; attempt < MAX_DRAWS; attempt++, current = draws.nextLong()) {
            List<Asking> askings = new ArrayList<>();
            for (ProbeCondition c : ProbeCondition.values()) {
                List<ChatMessage> context = c.context(speaker, code, item.asked(), new SplittableRandom(current));
                askings.add(new Asking(c, item.questionId(), item.paraphrase(), sample, (int) (current >>> 32), context,
                        item.text(), attempt));
            }
            if (askings.stream().allMatch(a -> fits.test(a.messages()))) {
                return askings;
            }
        }
        throw new EmlabException("The model is too short for the probe: no context of " + MAX_DRAWS + " draws for "
                + item.questionId() + " fits its positions with room for a " + settings.maxTokens() + "-token answer.");
    }

    /** Stops after the answers in flight; {@link #run} then throws. */
    public void stop() {
        stopped = true;
    }

    /** Asks every planned request of {@code model} and reads each answer; results in plan order. */
    public List<ProbeSample> run(ChatModel model, ProgressListener progress) {
        List<Asking> plan = plan();
        progress.started(plan.size());
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY, r -> {
            Thread t = new Thread(r, "emlab-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ProbeSample>> futures = new ArrayList<>();
            for (Asking a : plan) {
                futures.add(pool.submit(() -> ask(model, a, progress)));
            }
            List<ProbeSample> out = new ArrayList<>(plan.size());
            for (Future<ProbeSample> f : futures) {
                ProbeSample s = f.get();
                if (s != null) {
                    out.add(s);
                }
            }
            if (stopped) {
                throw new EmlabException("Stopped after " + out.size() + " of " + plan.size() + " answers; nothing was written.");
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmlabException("Interrupted while probing.");
        } catch (ExecutionException e) {
            stopped = true; // the queued requests return at once
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new EmlabException("The probe failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private ProbeSample ask(ChatModel model, Asking a, ProgressListener progress) {
        if (stopped) {
            return null;
        }
        String answer = model.complete(new ChatRequest(a.messages(), settings.temperature(), 1.0, settings.maxTokens(),
                a.seed(), null)).text();
        progress.sampleDone(false);
        return new ProbeSample(a.condition(), a.questionId(), a.paraphrase(), a.sample(), a.seed(), a.context(),
                a.question(), answer, read(answer), a.redraws());
    }

    /** Reads one answer as the probe does: for the persona's sentences, or for its code's verdict. */
    public ProbeReading read(String answer) {
        return switch (settings.target()) {
            case OPEN -> PersonaReading.of(book, answer);
            case CODE -> CodeReading.of(answer);
        };
    }
}
