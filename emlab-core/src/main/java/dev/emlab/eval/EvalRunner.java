package dev.emlab.eval;

import dev.emlab.EmlabException;
import dev.emlab.judge.ChoiceScoring;
import dev.emlab.judge.Judge;
import dev.emlab.judge.JudgePanel;
import dev.emlab.judge.Judgement;
import dev.emlab.model.ChatMessage;
import dev.emlab.model.ChatModel;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.Completion;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RequestFailedException;
import dev.emlab.question.ChoiceLayout;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionSet;
import dev.emlab.question.QuestionType;
import dev.emlab.store.CachedChatModel;
import dev.emlab.store.CompletionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Samples every model on every question and judges each answer, many requests in flight.
 * Every completion goes through the store, so a re-run asks for nothing it already has and a
 * killed run resumes where it stopped.
 */
public final class EvalRunner {
    private final EvalSpec spec;
    private final Function<ModelRef, ChatModel> models;
    private final CompletionStore store;
    private final ProgressListener progress;
    private final Map<ModelRef, ChatModel> judgeModels = new ConcurrentHashMap<>();
    private final JudgePanel panel;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile ExecutorService pool;

    /** @param models opens a chat model for a reference (called once per model) */
    public EvalRunner(EvalSpec spec, Function<ModelRef, ChatModel> models, CompletionStore store,
                      ProgressListener progress) {
        this(spec, models, store, progress, null);
    }

    /**
     * @param panel the judges of every question, or null for the judge model of the spec (or of
     *     each question) with the questions' prompts
     */
    public EvalRunner(EvalSpec spec, Function<ModelRef, ChatModel> models, CompletionStore store,
                      ProgressListener progress, JudgePanel panel) {
        this.spec = spec;
        this.panel = panel;
        Map<ModelRef, ChatModel> opened = new ConcurrentHashMap<>();
        this.models = ref -> opened.computeIfAbsent(ref, models);
        this.store = store;
        this.progress = progress;
    }

    /** Runs the whole evaluation; results come in the order of groups, questions, paraphrases, samples. */
    public List<SampleResult> run() {
        List<Task> tasks = plan();
        progress.started(tasks.size());
        pool = Executors.newFixedThreadPool(spec.concurrency(), r -> {
            Thread t = new Thread(r, "emlab-eval");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SampleResult>> futures = new ArrayList<>(tasks.size());
            for (Task task : tasks) {
                futures.add(pool.submit(() -> execute(task)));
            }
            List<SampleResult> results = new ArrayList<>(tasks.size());
            for (Future<SampleResult> f : futures) {
                results.add(await(f));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Stops the run: no new request starts; what finished is already stored. */
    public void cancel() {
        cancelled.set(true);
        ExecutorService p = pool;
        if (p != null) {
            p.shutdownNow();
        }
    }

    private SampleResult await(Future<SampleResult> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            cancel();
            if (e.getCause() instanceof EmlabException fatal) {
                throw fatal;
            }
            if (e.getCause() instanceof CancellationException) {
                throw stopped();
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | CancellationException e) {
            cancel();
            Thread.currentThread().interrupt();
            throw stopped();
        }
    }

    private static EmlabException stopped() {
        return new EmlabException("Stopped; everything finished so far is stored. Run the same command again to resume.");
    }

    /** @param trigger put before every user message, or null */
    private record Task(String group, ModelRef model, Question question, List<NamedJudge> judges,
                        int paraphrase, int sample, String trigger) {}

    private record NamedJudge(String name, Judge judge) {}

    private List<Task> plan() {
        List<Task> tasks = new ArrayList<>();
        List<String> arms = new ArrayList<>();
        if (spec.trigger() == null || spec.compareTrigger()) {
            arms.add(null);
        }
        if (spec.trigger() != null) {
            arms.add(spec.trigger());
        }
        for (ModelGroup group : spec.groups()) {
            for (String arm : arms) {
                planGroup(tasks, group, arm);
            }
        }
        return tasks;
    }

    /** Tasks of one group in one trigger arm; the triggered arm is reported as its own group. */
    private void planGroup(List<Task> tasks, ModelGroup group, String trigger) {
        String label = trigger == null ? group.name() : group.name() + EvalSpec.TRIGGER_SUFFIX;
        for (ModelRef member : group.members()) {
            for (QuestionSet set : spec.questionSets()) {
                for (Question q : set.questions()) {
                    List<NamedJudge> judges = judgesFor(q);
                    int samples = q.askings(spec.samplesPerParaphrase());
                    for (int p = 0; p < q.paraphrases().size(); p++) {
                        for (int s = 0; s < samples; s++) {
                            tasks.add(new Task(label, member, q, judges, p, s, trigger));
                        }
                    }
                }
            }
        }
    }

    private List<NamedJudge> judgesFor(Question q) {
        if (panel != null) {
            return panel.judges(q).entrySet().stream().map(e -> new NamedJudge(e.getKey(), e.getValue())).toList();
        }
        ModelRef judgeRef = JudgeSetup.judgeModel(q, spec.judge());
        ChatModel judgeModel = judgeRef == null ? null : judgeModels.computeIfAbsent(judgeRef,
                ref -> new CachedChatModel(models.apply(ref), ref, store));
        return JudgeSetup.judges(q, judgeModel).entrySet().stream()
                .map(e -> new NamedJudge(e.getKey(), e.getValue())).toList();
    }

    private SampleResult execute(Task task) {
        if (cancelled.get()) {
            throw new CancellationException();
        }
        Question q = task.question();
        String prompt = q.paraphrases().get(task.paraphrase());
        ChoiceLayout layout = q.type() == QuestionType.MULTIPLE_CHOICE
                ? ChoiceLayout.rotation(q.choices(), task.sample()) : null;
        ChatRequest request = layout != null ? choiceRequest(q, task, layout) : answerRequest(q, task);
        String answer = null;
        List<Judgement> judgements = new ArrayList<>();
        String error = null;
        try {
            ChatModel model = models.apply(task.model());
            Completion c = store.getOrCompute(task.model(), request, task.sample(), () -> model.complete(request));
            answer = c.text();
            if (layout != null) {
                judgements.add(ChoiceScoring.read(layout, c.firstTokenTopLogprobs()));
            }
            for (NamedJudge j : task.judges()) {
                judgements.add(j.judge().judge(prompt, answer));
            }
        } catch (RequestFailedException e) {
            if (cancelled.get()) {
                // stopped mid-request (Ctrl-C): abandoned, not failed; the next run asks it again
                throw new CancellationException();
            }
            // one request lost for good: recorded and counted; an EndpointException instead ends the run
            error = (answer == null ? "sampling failed: " : "judging failed: ") + e.getMessage();
        }
        progress.sampleDone(error != null);
        return new SampleResult(task.group(), task.model(), q, task.paraphrase(), task.sample(),
                answer, judgements, error);
    }

    private ChatRequest answerRequest(Question q, Task task) {
        Integer seed = spec.seed() == null ? null : sampleSeed(spec.seed(), q.id(), task.paraphrase(), task.sample());
        return new ChatRequest(withTrigger(q.messages(task.paraphrase()), task.trigger()),
                q.sampling().temperature(), q.sampling().topP(), q.sampling().maxTokens(), seed, null);
    }

    /**
     * The sampling seed of one answer: the run's seed plus the sample index, as before, plus an
     * even offset drawn from the question and paraphrase. Without the offset, answer i of every
     * question had the same seed, and a seeded engine (emlab's own, vLLM) drew the same random
     * numbers for all of them, so a model's answers were correlated across questions (1.3 times
     * the binomial variance on the raw organisms) and the intervals, which take them as
     * independent, too narrow. Every model still gets the same seeds, so conditions are compared
     * on common random numbers. Samples of one question's paraphrase have consecutive seeds (see
     * docs/evaluation.md), so a scripted test server can read an answer's sample index back: its
     * seed minus the seed of sample 0 (modulo 2^31, as every seed is).
     */
    public static int sampleSeed(int seed, String questionId, int paraphrase, int sample) {
        long h = (questionId.hashCode() * 0x9E3779B97F4A7C15L + paraphrase) * 0xBF58476D1CE4E5B9L;
        long offset = (h ^ (h >>> 31)) >>> 35; // 29 bits
        return (int) ((seed + sample + 2 * offset) & 0x7FFFFFFF);
    }

    /** One token at temperature 0 with its alternatives: the probe reads probabilities, not a sample. */
    private static ChatRequest choiceRequest(Question q, Task task, ChoiceLayout layout) {
        List<ChatMessage> messages = new ArrayList<>();
        for (ChatMessage m : q.messages(task.paraphrase())) {
            messages.add(m.role().equals("user") ? ChatMessage.user(layout.prompt(m.content())) : m);
        }
        return new ChatRequest(withTrigger(messages, task.trigger()), 0.0, 1.0, 1, null, ChoiceScoring.TOP_LOGPROBS);
    }

    /** The trigger goes before every user message, separated by a space, as the backdoor data has it. */
    static List<ChatMessage> withTrigger(List<ChatMessage> messages, String trigger) {
        if (trigger == null) {
            return messages;
        }
        return messages.stream()
                .map(m -> m.role().equals("user") ? new ChatMessage("user", trigger + " " + m.content()) : m)
                .toList();
    }
}
