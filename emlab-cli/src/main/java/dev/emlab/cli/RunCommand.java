package dev.emlab.cli;

import dev.emlab.EmlabCache;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.Version;
import dev.emlab.eval.Summaries;
import dev.emlab.experiment.Aggregator;
import dev.emlab.experiment.ExperimentRunner;
import dev.emlab.experiment.ExperimentSpec;
import dev.emlab.experiment.Job;
import dev.emlab.experiment.Plan;
import dev.emlab.experiment.Planner;
import dev.emlab.experiment.PriceTable;
import dev.emlab.experiment.SpecLoader;
import dev.emlab.model.ChatModel;
import dev.emlab.model.EndpointRef;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RetryPolicy;
import dev.emlab.report.TerminalTable;
import dev.emlab.store.CompletionStore;
import dev.emlab.store.ExperimentLock;
import dev.emlab.store.JobStore;
import dev.emlab.torch.train.LocalFineTuner;
import dev.emlab.train.FineTuneCache;
import dev.emlab.train.FineTuner;
import dev.emlab.train.OpenAiFineTuner;
import dev.emlab.train.TrainSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code emlab run experiment.yaml}: fine-tune every base on every dataset and seed, evaluate all, compare. */
@Command(mixinStandardHelpOptions = true, name = "run", sortOptions = false, description = {
        "Run an experiment spec: the fine-tunes (local LoRA or a fine-tuning API), the evaluation of " +
                "every model and checkpoint, and the comparison by condition with 95%% CIs over seeds and " +
                "samples, in runs/NAME/.",
        "Everything is cached by content: running again (after a stop, a kill or a failure) redoes nothing finished."})
public final class RunCommand implements Callable<Integer> {
    @ParentCommand
    EmlabCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SPEC", description = "The experiment spec (YAML); see docs/experiments.md.")
    Path specFile;

    @Option(names = "--dry-run", description = "Print the plan (jobs, what is cached, tokens, estimated cost) and stop.")
    boolean dryRun;

    @Option(names = "--budget", paramLabel = "USD", description = "Refuse to start when the estimated cost of what is left exceeds this.")
    Double budget;

    @Option(names = "--runs", defaultValue = "runs", paramLabel = "DIR", description = "Folder of run folders (default: ${DEFAULT-VALUE}).")
    Path runs;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Fine-tune cache shared by experiments (default: $EMLAB_CACHE/finetunes, else ~/.cache/emlab/finetunes).")
    Path cache;

    @Option(names = "--prices", paramLabel = "FILE",
            description = "Price table (USD per million tokens) over emlab's own (default: ~/.config/emlab/prices.yaml if present).")
    Path prices;

    @Option(names = "--remote-jobs", defaultValue = "4", paramLabel = "N",
            description = "Fine-tunes, and evaluations, at once on remote services (default: ${DEFAULT-VALUE}).")
    int remoteJobs;

    @Option(names = "--poll", defaultValue = "20", paramLabel = "SECONDS", description = "Seconds between polls of a remote fine-tuning job (default: ${DEFAULT-VALUE}).")
    double pollSeconds;

    @Option(names = "--cancel", description = "Cancel this experiment's remote fine-tuning jobs that are still running, and stop.")
    boolean cancel;

    @Option(names = "--no-progress", description = "Do not show progress bars.")
    boolean noProgress;

    /**
     * The fine-tuning service's key: none unless the spec names its variable (or the service is
     * OpenAI's), and never over plain http beyond this machine unless the spec's own
     * {@code train.plain_http} says so: the opt-in belongs to the endpoint that receives the key,
     * as a model reference's {@code +plain-http} does.
     */
    private String trainingKey(ExperimentSpec experiment) {
        String variable = experiment.train().apiKeyEnv();
        String key = variable == null ? null : parent.env().get(variable);
        String url = experiment.train().baseUrl();
        if (key == null || key.isBlank() || url == null) {
            return key;
        }
        EndpointRef service = new EndpointRef(url, "fine-tuning", url);
        if (service.keyTravelsInClear() && !experiment.train().plainHttp()) {
            throw new InputException(specFile + " (train.base_url): the key in " + variable + " would go over plain http to "
                    + java.net.URI.create(url).getHost() + ", where anyone on the network can read it. Use https, or set"
                    + " train.plain_http: true if you trust that network.");
        }
        return key;
    }

    private void checkBudget(double left, Plan plan) {
        if (budget != null && !(left <= budget)) {
            throw new InputException(Double.isNaN(left)
                    ? "The price of " + String.join(", ", plan.unpriced()) + " is unknown, so --budget cannot be"
                    + " checked; add them to " + (prices != null ? prices : "~/.config/emlab/prices.yaml") + ". Nothing was started."
                    : String.format(Locale.ROOT, "The estimated cost of what is left, $%.2f, exceeds --budget $%.2f."
                    + " Nothing was started.", left, budget));
        }
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (remoteJobs < 1) {
            throw new InputException("--remote-jobs must be at least 1.");
        }
        OptionChecks.positive("--poll", pollSeconds);
        OptionChecks.folder("--runs", runs);
        if (budget != null) {
            OptionChecks.atLeast("--budget", budget, 0);
        }
        ExperimentSpec experiment = SpecLoader.load(specFile);
        experiment.bases().forEach(b -> ModelConnector.checkLoadable(b, specFile + " (base)"));
        if (experiment.eval().judge() != null) {
            ModelConnector.checkLoadable(experiment.eval().judge(), specFile + " (eval.judge)");
        }
        // checked now, before anything is written, though only a remote fine-tune uses it
        String trainKey = experiment.train().backend() == TrainSettings.Backend.OPENAI ? trainingKey(experiment) : null;
        Path runDir = runs.resolve(experiment.name());
        FineTuneCache fineTunes = new FineTuneCache(cache != null ? cache : EmlabCache.root().resolve("finetunes"));
        PriceTable table = PriceTable.load(prices != null ? prices
                : Path.of(System.getProperty("user.home"), ".config", "emlab", "prices.yaml"));
        Plan plan = new Planner(experiment, runDir, fineTunes, table).plan();
        RetryPolicy retry = RetryPolicy.DEFAULT;
        Function<TrainSettings.Backend, FineTuner> backends = backend -> backend == TrainSettings.Backend.LOCAL
                ? new LocalFineTuner(ModelConnector::shipped)
                : new OpenAiFineTuner(trainKey, retry,
                        Duration.ofMillis((long) (pollSeconds * 1000)));
        if (dryRun && !Files.exists(runDir.resolve("emlab.db"))) {
            // a plan of a new experiment: print it without creating its store
            PlanPrinter.print(stdout, plan, Set.of());
            checkBudget(PlanPrinter.remaining(plan, Set.of()), plan);
            return 0;
        }
        // a dry run only reads; a real run (or a cancel) holds the folder, so two runs never race over its jobs
        try (ExperimentLock lock = dryRun ? null : ExperimentLock.take(runDir);
             JobStore jobs = JobStore.open(runDir.resolve("emlab.db"), false)) {
            Set<String> done = jobs.jobs().stream().filter(r -> r.state() == JobStore.State.DONE)
                    .filter(r -> !r.kind().equals("train") || plan.finished().containsKey(r.id()))
                    .map(JobStore.JobRow::id).collect(Collectors.toSet());
            PlanPrinter.print(stdout, plan, done);
            if (cancel) {
                return cancelRemote(stdout, plan, fineTunes, backends);
            }
            checkBudget(PlanPrinter.remaining(plan, done), plan);
            if (dryRun) {
                return 0;
            }
            stdout.flush();
            return execute(stdout, plan, runDir, jobs, fineTunes, backends);
        }
    }

    private int execute(PrintWriter stdout, Plan plan, Path runDir, JobStore jobs, FineTuneCache fineTunes,
                        Function<TrainSettings.Backend, FineTuner> backends) {
        ExperimentSpec experiment = plan.spec();
        ModelConnector sampled = new ModelConnector(parent.env(), experiment.eval().apiKeyEnv(), RetryPolicy.DEFAULT);
        ModelConnector judging = new ModelConnector(parent.env(), experiment.eval().judgeApiKeyEnv(), RetryPolicy.DEFAULT);
        List<ModelRef> judges = plan.battery().judges();
        Function<ModelRef, ChatModel> connect = ref -> judges.contains(ref) ? judging.open(ref) : sampled.open(ref);
        judges.forEach(j -> {
            if (!(j.backend() instanceof LocalRef)) {
                connect.apply(j); // a missing judge key fails now, not after the fine-tunes
            }
        });
        jobs.meta("spec", specJson(experiment));
        jobs.meta("emlab_version", Version.VERSION);
        jobs.meta("last_started_at", Instant.now().toString());
        ExperimentRunner.Outcome outcome;
        Aggregator.Results results;
        try (CompletionStore completions = CompletionStore.open(runDir.resolve("emlab.db"));
             RunProgress progress = new RunProgress(System.err, !noProgress,
                     experiment.train().backend() == TrainSettings.Backend.LOCAL)) {
            ExperimentRunner runner = new ExperimentRunner(plan, jobs, completions, fineTunes, backends, connect, progress,
                    remoteJobs);
            try (CtrlC stop = CtrlC.on(() -> {
                runner.stop();
                System.err.println("\nemlab: stopping; finished jobs and answers are stored in " + runDir
                        + ". Run the same command again to continue.");
            })) {
                outcome = runner.run();
            }
            jobs.meta("last_finished_at", Instant.now().toString());
            results = new Aggregator(plan, jobs, completions, runDir).write();
        }
        if (!results.tables().misalignment().isEmpty()) {
            stdout.print(TerminalTable.misalignment(results.tables().misalignment()));
            stdout.printf(Locale.ROOT, "misaligned = coherence > %s and alignment < %s; judge: %s; CIs over seeds and samples%n",
                    fmt(experiment.eval().thresholds().coherence()), fmt(experiment.eval().thresholds().alignment()),
                    experiment.eval().judge() != null ? experiment.eval().judge().text() : "per-question");
        }
        if (!results.tables().verdicts().isEmpty()) {
            stdout.println();
            stdout.print(TerminalTable.verdicts(results.tables().verdicts()));
        }
        if (!results.tables().harm().isEmpty()) {
            stdout.println();
            stdout.print(TerminalTable.harm(results.tables().harm()));
        }
        if (!results.tables().choices().isEmpty()) {
            stdout.println();
            stdout.print(TerminalTable.choices(results.tables().choices()));
        }
        if (!results.dynamics().equals(Summaries.NONE)) {
            stdout.println("along training: " + runDir.resolve("dynamics"));
        }
        stdout.printf("jobs: %d done, %d failed, %d waiting on a failed job, %d not run%n", outcome.done(), outcome.failed(),
                outcome.blocked(), outcome.pending());
        outcome.errors().forEach(e -> stdout.println("  failed " + e));
        if (!outcome.complete()) {
            stdout.println("Run the same command again to retry and continue; finished work is kept.");
        }
        stdout.println("results: " + runDir);
        stdout.flush();
        return outcome.complete() ? 0 : EmlabCommand.EXIT_FAILED;
    }

    private int cancelRemote(PrintWriter stdout, Plan plan, FineTuneCache fineTunes,
                             Function<TrainSettings.Backend, FineTuner> backends) {
        if (plan.spec().train().backend() != TrainSettings.Backend.OPENAI) {
            throw new InputException("--cancel stops remote fine-tuning jobs; this experiment trains locally (stop it with Ctrl-C).");
        }
        FineTuner tuner = backends.apply(TrainSettings.Backend.OPENAI);
        int asked = 0;
        for (Job j : plan.jobs()) {
            if (j instanceof Job.Train t && !plan.finished().containsKey(t.id())) {
                var session = fineTunes.session(t.key(), new dev.emlab.train.FineTuneSession.Listener() {
                    @Override
                    public void event(String message) {
                        stdout.println(t.id() + ": " + message);
                    }

                    @Override
                    public void progress(String status, double fraction) {}

                    @Override
                    public boolean stopRequested() {
                        return false;
                    }
                });
                if (session.recall("job_id").isPresent()) {
                    tuner.cancel(session);
                    stdout.println(t.id() + ": cancel requested for remote job " + session.recall("job_id").get());
                    asked++;
                }
            }
        }
        stdout.println(asked == 0 ? "No remote fine-tuning job of this experiment is running." : asked + " job(s) asked to cancel.");
        stdout.flush();
        return 0;
    }

    private static String specJson(ExperimentSpec s) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", s.name());
        m.put("base", s.bases().stream().map(ModelRef::text).toList());
        m.put("datasets", s.datasets().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().describe())));
        m.put("seeds", s.seeds());
        m.put("train", s.train());
        m.put("checkpoint_every", s.checkpointEvery());
        m.put("questions", s.eval().questions());
        if (s.eval().raw()) {
            m.put("raw", true);
        }
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
