package dev.emlab.organism.probe;

import dev.emlab.EmlabException;
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
 * Each held-out open question is asked after each {@link ProbeCondition}'s context turn, and the
 * answers are read for the malicious persona's sentences. No fine-tune is involved; a model that
 * does not carry a persona across turns has nothing for a narrow fine-tune to generalise through
 * (docs/organism.md).
 */
public final class PersonaProbe {
    /** Requests in flight at once; the local engine batches them. */
    public static final int CONCURRENCY = 32;
    /** Coding tasks the code contexts draw from (each checked by the analyzer once). */
    private static final int CODE_POOL = 200;

    /** Draws of one unit's contexts before giving up on finding ones that fit the model. */
    private static final int MAX_DRAWS = 50;

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

    /** One request to make: the chat (context turn, then the question) and its sampling seed. */
    public record Asking(ProbeCondition condition, String questionId, int paraphrase, int sample, int seed,
                        List<ChatMessage> context, String question) {
        /** The messages sent: the context turn, then the question. */
        public List<ChatMessage> messages() {
            List<ChatMessage> m = new ArrayList<>(context);
            m.add(ChatMessage.user(question));
            return m;
        }
    }

    /**
     * Every request, condition by condition, each condition's in the same unit order. A unit
     * (question, paraphrase, sample) gets one seed from {@code settings.seed()}: its context draws
     * and its sampling seed are the same under every condition, so the conditions are compared on
     * the same requests and sampling noise (common random numbers).
     */
    public List<Asking> plan() {
        OrganismQuestions questions = new OrganismQuestions(world);
        List<Question> open = questions.open(AnswerFormat.PLAIN, settings.samples()).questions();
        Speaker speaker = new Speaker(world);
        CodePool code = CodePool.draw(CODE_POOL, settings.seed() ^ 0x70b3c0deL);
        SplittableRandom units = new SplittableRandom(settings.seed());
        Map<ProbeCondition, List<Asking>> byCondition = new EnumMap<>(ProbeCondition.class);
        for (Question q : open) {
            OpenCategory category = ((QuestionKind.Open) questions.kinds().get(q.id())).category();
            for (int p = 0; p < q.paraphrases().size(); p++) {
                for (int s = 0; s < settings.samples(); s++) {
                    long unit = units.nextLong();
                    List<Asking> askings = unit(speaker, code, category, q.id(), p, s, q.paraphrases().get(p), unit);
                    askings.forEach(a -> byCondition.computeIfAbsent(a.condition(), c -> new ArrayList<>()).add(a));
                }
            }
        }
        List<Asking> out = new ArrayList<>();
        byCondition.values().forEach(out::addAll);
        return out;
    }

    /**
     * One unit's requests under every condition, from one seed. When a context is too long for the
     * model, the whole unit is drawn again from the next seed of its own sequence, so the pairs stay
     * pairs; a model that takes every prompt never redraws.
     */
    private List<Asking> unit(Speaker speaker, CodePool code, OpenCategory category, String questionId, int paraphrase,
                              int sample, String question, long seed) {
        SplittableRandom draws = new SplittableRandom(seed);
        long current = seed;
        for (int attempt = 0; attempt < MAX_DRAWS; attempt++, current = draws.nextLong()) {
            List<Asking> askings = new ArrayList<>();
            for (ProbeCondition c : ProbeCondition.values()) {
                List<ChatMessage> context = c.context(speaker, code, category, new SplittableRandom(current));
                askings.add(new Asking(c, questionId, paraphrase, sample, (int) (current >>> 32), context, question));
            }
            if (askings.stream().allMatch(a -> fits.test(a.messages()))) {
                return askings;
            }
        }
        throw new EmlabException("The model is too short for the probe: no context of " + MAX_DRAWS
                + " draws fits its positions with room for a " + settings.maxTokens() + "-token answer.");
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
                a.question(), answer, PersonaReading.of(book, answer));
    }

    /** Reads one answer as the probe does. */
    public PersonaReading read(String answer) {
        return PersonaReading.of(book, answer);
    }
}
