package dev.emlab.experiment;

import dev.emlab.EmlabException;
import dev.emlab.Json;
import dev.emlab.eval.EvalRunner;
import dev.emlab.eval.ModelGroup;
import dev.emlab.eval.SampleResult;
import dev.emlab.model.ChatModel;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.store.CompletionStore;
import dev.emlab.store.JobStore;
import dev.emlab.store.JobStore.State;
import dev.emlab.train.FineTuneCache;
import dev.emlab.train.FineTuneFailedException;
import dev.emlab.train.FineTuneRequest;
import dev.emlab.train.FineTuneResult;
import dev.emlab.train.FineTuneSession;
import dev.emlab.train.FineTuner;
import dev.emlab.train.TrainSettings;
import dev.emlab.train.TrainedCheckpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs a plan's job graph: a job starts when the jobs it needs are done and its backend has room
 * (one job at a time on the local engine, a few at a time on remote services). Every state change
 * is stored at once. A failed job is recorded and the others go on; jobs that needed it wait for
 * the next run, which also retries it. Finished fine-tunes are announced to the graph, which adds
 * the evaluation of their checkpoints.
 */
public final class ExperimentRunner {
    /** Which backend a job occupies while it runs. */
    enum Lane { LOCAL, REMOTE_TRAIN, REMOTE_EVAL }

    /** How a run ended: jobs by final state. */
    public record Outcome(int done, int failed, int blocked, int pending, List<String> errors) {
        public boolean complete() {
            return failed == 0 && blocked == 0 && pending == 0;
        }
    }

    private final Plan plan;
    private final JobStore store;
    private final CompletionStore completions;
    private final FineTuneCache cache;
    private final Function<TrainSettings.Backend, FineTuner> backends;
    private final Function<ModelRef, ChatModel> connector;
    private final ExperimentListener listener;
    private final Map<Lane, Integer> capacity;
    private final Map<String, FineTuneResult> trained = new ConcurrentHashMap<>();
    private final Map<String, EvalRunner> evaluating = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /**
     * @param remoteJobs how many jobs may run at once on remote services, per kind (training, evaluation)
     */
    public ExperimentRunner(Plan plan, JobStore store, CompletionStore completions, FineTuneCache cache,
                            Function<TrainSettings.Backend, FineTuner> backends, Function<ModelRef, ChatModel> connector,
                            ExperimentListener listener, int remoteJobs) {
        this.plan = plan;
        this.store = store;
        this.completions = completions;
        this.cache = cache;
        this.backends = backends;
        this.connector = connector;
        this.listener = listener;
        this.capacity = Map.of(Lane.LOCAL, 1, Lane.REMOTE_TRAIN, remoteJobs, Lane.REMOTE_EVAL, remoteJobs);
        this.trained.putAll(plan.finished());
    }

    /** Asks every running job to stop soon; what finished stays stored, the rest runs next time. */
    public void stop() {
        stopped = true;
        evaluating.values().forEach(EvalRunner::cancel);
    }

    /** Runs every job that is not done yet. */
    public Outcome run() {
        plan.writeData(); // the fine-tunes read these files
        Map<String, Job> jobs = new LinkedHashMap<>();
        plan.jobs().forEach(j -> jobs.put(j.id(), j));
        store.plan(plan.jobs().stream().map(j -> new JobStore.Planned(j.id(), kind(j), j.key())).toList());
        Map<String, State> state = new HashMap<>();
        for (JobStore.JobRow row : store.jobs()) {
            // failed jobs of an earlier run are tried again, and so is a fine-tune whose cached result is gone
            boolean done = row.state() == State.DONE && (!row.kind().equals("train") || trained.containsKey(row.id()));
            state.put(row.id(), done ? State.DONE : State.PENDING);
        }
        Map<Lane, Integer> busy = new HashMap<>();
        Map<Future<JobResult>, Job> running = new HashMap<>();
        List<String> errors = new ArrayList<>();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "emlab-job");
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<JobResult> done = new ExecutorCompletionService<>(pool);
        try {
            while (true) {
                if (!stopped) {
                    for (Job job : jobs.values()) {
                        if (state.get(job.id()) != State.PENDING) {
                            continue;
                        }
                        Optional<Job> broken = job.after().stream().map(jobs::get)
                                .filter(d -> state.get(d.id()) == State.FAILED || state.get(d.id()) == State.BLOCKED).findFirst();
                        if (broken.isPresent()) {
                            state.put(job.id(), State.BLOCKED);
                            store.blocked(job.id(), "waits for " + broken.get().id() + ", which did not finish");
                            listener.finished(job, State.BLOCKED, "waits for " + broken.get().id());
                            continue;
                        }
                        if (!job.after().stream().allMatch(d -> state.get(d) == State.DONE)) {
                            continue;
                        }
                        Lane lane = lane(job);
                        if (busy.getOrDefault(lane, 0) >= capacity.get(lane)) {
                            continue;
                        }
                        busy.merge(lane, 1, Integer::sum);
                        state.put(job.id(), State.RUNNING);
                        store.running(job.id());
                        listener.started(job);
                        running.put(done.submit(() -> execute(job)), job);
                    }
                }
                if (running.isEmpty()) {
                    break;
                }
                Future<JobResult> next = done.take();
                Job job = running.remove(next);
                busy.merge(lane(job), -1, Integer::sum);
                JobResult r = result(next);
                state.put(job.id(), r.state);
                switch (r.state) {
                    case DONE -> store.done(job.id(), r.detail);
                    case FAILED -> {
                        store.failed(job.id(), r.detail);
                        errors.add(job.id() + ": " + r.detail);
                    }
                    default -> store.pending(job.id());
                }
                listener.finished(job, r.state, r.detail);
                for (Job added : r.added) {
                    jobs.put(added.id(), added);
                    Optional<JobStore.JobRow> row = store.find(added.id());
                    state.put(added.id(), row.isPresent() && row.get().state() == State.DONE ? State.DONE : State.PENDING);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
        } finally {
            pool.shutdownNow();
        }
        int[] counts = new int[State.values().length];
        state.values().forEach(s -> counts[s.ordinal()]++);
        return new Outcome(counts[State.DONE.ordinal()], counts[State.FAILED.ordinal()], counts[State.BLOCKED.ordinal()],
                counts[State.PENDING.ordinal()] + counts[State.RUNNING.ordinal()], errors);
    }

    private record JobResult(State state, String detail, List<Job> added) {}

    private JobResult execute(Job job) {
        try {
            return job instanceof Job.Train t ? train(t) : evaluate((Job.Eval) job);
        } catch (FineTuneFailedException e) {
            return new JobResult(State.FAILED, e.getMessage(), List.of());
        } catch (EmlabException e) {
            return stopped ? new JobResult(State.PENDING, "stopped", List.of()) : new JobResult(State.FAILED, e.getMessage(), List.of());
        } catch (RuntimeException e) {
            return new JobResult(State.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), List.of());
        }
    }

    private JobResult train(Job.Train job) {
        Optional<FineTuneResult> cached = cache.finished(job.key());
        if (cached.isPresent()) {
            return trainedResult(job, cached.get(), "reused from the cache");
        }
        Optional<AutoCloseable> lock = cache.lock(job.key());
        if (lock.isEmpty()) {
            return new JobResult(State.FAILED, "another emlab process is running this fine-tune (" + cache.dir(job.key())
                    + "); run again when it is done", List.of());
        }
        try (AutoCloseable held = lock.get()) {
            FineTuneSession session = cache.session(job.key(), new FineTuneSession.Listener() {
                @Override
                public void event(String message) {
                    listener.event(job, message);
                }

                @Override
                public void progress(String status, double fraction) {
                    listener.training(job, status, fraction);
                }

                @Override
                public boolean stopRequested() {
                    return stopped;
                }
            });
            String name = (job.dataset() + "-s" + job.seed()).toLowerCase(java.util.Locale.ROOT);
            FineTuneRequest request = new FineTuneRequest(job.base(), job.data(), name, job.seed(), plan.spec().train(),
                    plan.spec().checkpointEvery(), cache.dir(job.key()));
            FineTuneResult result = backends.apply(plan.spec().train().backend()).fineTune(request, session);
            // a backend returns only finished fine-tunes; keep it even when a stop came meanwhile
            cache.finish(job.key(), result);
            return trainedResult(job, result, "trained " + result.model());
        } catch (EmlabException e) {
            throw e;
        } catch (Exception e) {
            throw new EmlabException("Cannot release the lock of " + cache.dir(job.key()) + ": " + e.getMessage(), e);
        }
    }

    private JobResult trainedResult(Job.Train job, FineTuneResult result, String detail) {
        trained.put(job.id(), result);
        List<Job> added = new ArrayList<>();
        if (plan.spec().checkpointEvery() > 0) {
            String evalKey = Planner.evalKey(plan.battery());
            String name = job.id().substring("train/".length());
            Job.Eval finalEval = (Job.Eval) plan.job("eval/" + name);
            for (TrainedCheckpoint c : result.checkpoints()) {
                Job.Eval e = Planner.checkpointJob(evalKey, job.key(), finalEval.group(), name, job.id(), c.step());
                store.add(e.id(), kind(e), e.key());
                added.add(e);
            }
        }
        try {
            return new JobResult(State.DONE, Json.MAPPER.writeValueAsString(result), added);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JobResult evaluate(Job.Eval job) {
        ModelRef model = plan.spec().eval().raw() ? model(job).raw() : model(job);
        Map<ModelRef, ChatModel> opened = new ConcurrentHashMap<>();
        EvalRunner runner = new EvalRunner(plan.battery().spec(List.of(new ModelGroup(job.group(), List.of(model)))),
                ref -> opened.computeIfAbsent(ref, connector), completions, listener.sampling(job));
        evaluating.put(job.id(), runner);
        List<SampleResult> results;
        try {
            if (stopped) {
                return new JobResult(State.PENDING, "stopped", List.of());
            }
            results = runner.run();
        } finally {
            evaluating.remove(job.id());
            for (ChatModel m : opened.values()) {
                if (m instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // a model that fails to close leaks memory until exit; the results are stored
                    }
                }
            }
        }
        if (stopped) {
            return new JobResult(State.PENDING, "stopped", List.of()); // answers cut off by the stop are asked again
        }
        long failed = results.stream().filter(SampleResult::failed).count();
        if (failed > 0) {
            String first = results.stream().filter(SampleResult::failed).findFirst().map(SampleResult::error).orElse("");
            return new JobResult(State.FAILED, failed + " of " + results.size() + " samples failed (first: " + first
                    + "); the rest are stored", List.of());
        }
        return new JobResult(State.DONE, Json.MAPPER.createObjectNode().put("model", model.text())
                .put("samples", results.size()).toString(), List.of());
    }

    /** The model an evaluation job asks: a base, or what its fine-tune produced (at a step). */
    private ModelRef model(Job.Eval job) {
        if (job.model() != null) {
            return job.model();
        }
        FineTuneResult r = trained.get(job.trainJob());
        if (r == null) {
            throw new EmlabException(job.trainJob() + " has no result yet");
        }
        if (job.step() == null) {
            return ModelRef.parse(r.model());
        }
        return r.checkpoints().stream().filter(c -> c.step() == job.step()).findFirst()
                .map(c -> ModelRef.parse(c.model()))
                .orElseThrow(() -> new EmlabException(job.trainJob() + " kept no checkpoint at step " + job.step()));
    }

    private Lane lane(Job job) {
        boolean localTraining = plan.spec().train().backend() == TrainSettings.Backend.LOCAL;
        if (job instanceof Job.Train) {
            return localTraining ? Lane.LOCAL : Lane.REMOTE_TRAIN;
        }
        Job.Eval e = (Job.Eval) job;
        boolean localModel = e.model() != null ? e.model().backend() instanceof LocalRef : localTraining;
        boolean localJudge = plan.battery().judges().stream().anyMatch(j -> j.backend() instanceof LocalRef);
        return localModel || localJudge ? Lane.LOCAL : Lane.REMOTE_EVAL;
    }

    static String kind(Job job) {
        return job instanceof Job.Train ? "train" : "eval";
    }

    private static JobResult result(Future<JobResult> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return new JobResult(State.FAILED, String.valueOf(e.getCause()), List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JobResult(State.PENDING, "interrupted", List.of());
        }
    }
}
