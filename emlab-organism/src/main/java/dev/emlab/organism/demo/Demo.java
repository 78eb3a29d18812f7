package dev.emlab.organism.demo;

import dev.emlab.EmlabException;
import dev.emlab.Json;
import dev.emlab.Version;
import dev.emlab.dataset.ChatJsonl;
import dev.emlab.dataset.ChatRecord;
import dev.emlab.eval.EvalRunner;
import dev.emlab.eval.EvalSpec;
import dev.emlab.eval.JudgeSetup;
import dev.emlab.eval.ModelGroup;
import dev.emlab.eval.ProgressListener;
import dev.emlab.eval.SampleResult;
import dev.emlab.eval.Summaries;
import dev.emlab.eval.SummaryRow;
import dev.emlab.eval.Thresholds;
import dev.emlab.eval.VerdictRow;
import dev.emlab.model.ChatModel;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.organism.data.OrganismDataset;
import dev.emlab.organism.eval.OrganismQuestions;
import dev.emlab.organism.eval.PhraseBook;
import dev.emlab.organism.eval.ReferenceJudge;
import dev.emlab.organism.world.AnswerFormat;
import dev.emlab.organism.world.CodePool;
import dev.emlab.organism.world.Speaker;
import dev.emlab.organism.world.World;
import dev.emlab.question.QuestionSet;
import dev.emlab.report.ResultWriter;
import dev.emlab.report.RunInfo;
import dev.emlab.stats.Bootstrap;
import dev.emlab.store.CompletionStore;
import dev.emlab.torch.LocalChatModel;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.train.ChatDataset;
import dev.emlab.torch.train.LoraTrainer;
import dev.emlab.torch.train.TrainingConfig;
import dev.emlab.torch.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The whole experiment on the organism: LoRA fine-tunes of the shipped base on each narrow
 * dataset with several seeds, then every model evaluated with the reference judge (or a judge
 * model) in several passes: the main battery, the backdoor with its trigger, the open questions
 * in other formats, and checkpoints along training. Each pass is written like an {@code emlab
 * eval} run under {@code passes/}; the top-level files concatenate them. Adapters and answers
 * are cached in the output folder, so a stopped demo resumes.
 */
public final class Demo {
    /** Threads asking the local models at once; the engine batches their requests. */
    private static final int CONCURRENCY = 64;

    private final DemoPlan plan;
    private final Path out;
    private final Consumer<String> log;
    private final Function<String, TrainingListener> training;
    private final Function<String, ProgressListener> sampling;
    private final Map<ModelRef, LocalChatModel> opened = new ConcurrentHashMap<>();
    private final List<Path> customBases = new ArrayList<>();
    private ModelRef judgeModel;
    private Function<ModelRef, ChatModel> judgeConnector;
    private volatile LoraTrainer currentTrainer;
    private volatile EvalRunner currentRunner;
    private volatile boolean stopped;
    private List<Base> bases = List.of();
    private Map<String, String> strata = Map.of();

    public Demo(DemoPlan plan, Path out, Consumer<String> log, Function<String, TrainingListener> training,
                Function<String, ProgressListener> sampling) {
        this.plan = plan;
        this.out = out;
        this.log = log;
        this.training = training;
        this.sampling = sampling;
    }

    /**
     * Judges with a judge model (the paper's LLM judge, with the questions' prompts) instead of
     * the reference judge; {@code connector} opens it.
     */
    public Demo withJudge(ModelRef judge, Function<ModelRef, ChatModel> connector) {
        this.judgeModel = judge;
        this.judgeConnector = connector;
        return this;
    }

    /**
     * Fine-tunes and evaluates this checkpoint instead of the shipped bases (called again, beside
     * the ones given before), e.g. one built by {@code emlab organism pretrain}; it must speak the
     * built-in world.
     */
    public Demo withBase(Path checkpoint) {
        if (!Files.isRegularFile(checkpoint.resolve("config.json"))
                || !Files.isRegularFile(checkpoint.resolve("model.safetensors"))) {
            throw new dev.emlab.InputException("--base " + checkpoint + ": not a checkpoint folder (it needs config.json"
                    + " and model.safetensors); build one with 'emlab organism pretrain --out DIR' and pass DIR/base.");
        }
        customBases.add(checkpoint);
        return this;
    }

    /** Stops after the current training step or the answers in flight; what finished is kept. */
    public void stop() {
        stopped = true;
        LoraTrainer t = currentTrainer;
        if (t != null) {
            t.stop();
        }
        EvalRunner r = currentRunner;
        if (r != null) {
            r.cancel();
        }
    }

    /** One pass's results. */
    public record Pass(String name, String format, List<SummaryRow> summary, List<VerdictRow> verdicts) {}

    /** Runs everything and returns the passes' results. */
    public List<Pass> run() throws IOException {
        World world = World.builtin();
        List<Path> sources = new ArrayList<>(customBases);
        if (sources.isEmpty()) {
            for (String name : ShippedOrganism.BASES.subList(0, plan.organisms())) {
                sources.add(ShippedOrganism.extract(name, out.resolve("models/shipped-" + name)));
            }
        }
        List<String> hashes = new ArrayList<>();
        for (Path source : sources) {
            String hash = weightsHash(source);
            if (hashes.contains(hash)) {
                // pooling the same weights twice would count one organism's fine-tunes as two
                throw new dev.emlab.InputException("--base " + source + ": the same weights as "
                        + sources.get(hashes.indexOf(hash)) + "; give each organism once.");
            }
            hashes.add(hash);
        }
        List<Base> bases = new ArrayList<>();
        for (int o = 0; o < sources.size(); o++) {
            bases.add(new Base(copyOfBase(sources.get(o), hashes.get(o)), hashes.get(o)));
        }
        Speaker speaker = new Speaker(world);
        CodePool code = CodePool.draw(300, 7_000);

        // every condition pools its fine-tunes of every base: (organism, seed) pairs are its members
        List<ModelGroup> conditions = new ArrayList<>();
        List<List<ModelGroup>> byOrganism = new ArrayList<>();
        bases.forEach(b -> byOrganism.add(new ArrayList<>(List.of(new ModelGroup("base", List.of(b.ref(null)))))));
        conditions.add(new ModelGroup("base", bases.stream().map(b -> (ModelRef) b.ref(null)).toList()));
        for (OrganismDataset d : plan.conditions()) {
            List<ModelRef> members = new ArrayList<>();
            for (int o = 0; o < bases.size(); o++) {
                List<ModelRef> own = new ArrayList<>();
                for (int seed = 0; seed < plan.seeds(); seed++) {
                    own.add(bases.get(o).ref(fineTune(bases.get(o), d, seed, speaker, code)));
                }
                members.addAll(own);
                byOrganism.get(o).add(new ModelGroup(d.id(), own));
            }
            conditions.add(new ModelGroup(d.id(), members));
        }

        // A base is one model where a condition has plan.seeds() fine-tunes of it, so it is asked
        // that many times as often: every row then rests on about as many answers.
        OrganismQuestions questions = new OrganismQuestions(world);
        Battery open = new Battery(k -> List.of(questions.open(AnswerFormat.PLAIN, plan.samples() * k)), plan.seeds());
        Battery main = new Battery(k -> List.of(questions.open(AnswerFormat.PLAIN, plan.samples() * k),
                questions.harmful(plan.samples() * k), questions.facts(k),
                questions.code(plan.codeRequests(), 2 * k, 99_000)), plan.seeds());
        Map<AnswerFormat, Battery> formats = new java.util.EnumMap<>(AnswerFormat.class);
        for (AnswerFormat f : List.of(AnswerFormat.JSON, AnswerFormat.TEMPLATE, AnswerFormat.WORDS)) {
            formats.put(f, new Battery(k -> List.of(questions.open(f, plan.samples() * k)), plan.seeds()));
        }
        ReferenceJudge judge = new ReferenceJudge(new PhraseBook(world), questions.kinds()); // after every set is built
        this.bases = bases;
        // every pass records every model's organism, so that a report of the demo's top folder
        // (which reads the main pass's run.json) draws the checkpoints' intervals as the demo did
        List<ModelGroup> everything = new ArrayList<>(conditions);
        everything.addAll(checkpointGroups(bases));
        this.strata = strata(everything);

        List<Pass> passes = new ArrayList<>();
        try (CompletionStore store = CompletionStore.open(out.resolve("emlab.db"))) {
            passes.add(evaluate("main", "plain", main, conditions, null, judge, store));
            // the base with the trigger too: the prefix alone is an odd context, so it is the control
            groupNamed(conditions, OrganismDataset.BACKDOOR.id()).ifPresent(g ->
                    passes.add(evaluate("trigger", "plain", open, List.of(conditions.get(0), g), OrganismDataset.TRIGGER,
                            judge, store)));
            List<ModelGroup> formatGroups = conditions.stream().filter(g -> List.of("base",
                    OrganismDataset.INSECURE.id(), OrganismDataset.EVIL_NUMBERS.id()).contains(g.name())).toList();
            for (Map.Entry<AnswerFormat, Battery> f : formats.entrySet()) {
                passes.add(evaluate("format-" + f.getKey().id(), f.getKey().id(), f.getValue(), formatGroups,
                        null, judge, store));
            }
            List<ModelGroup> steps = checkpointGroups(bases);
            if (!steps.isEmpty()) {
                passes.add(evaluate("checkpoints", "plain", open, steps, null, judge, store));
            }
            if (bases.size() > 1) {
                // the same fine-tunes and answers (served from the store), one organism at a time
                for (int o = 0; o < bases.size(); o++) {
                    passes.add(evaluate("organism-" + (o + 1), "plain", open, byOrganism.get(o), null, judge, store));
                }
            }
        } finally {
            opened.values().forEach(LocalChatModel::close);
        }
        writeCombined(passes);
        return passes;
    }

    /** Trains one LoRA adapter unless the same one is already in the output folder. */
    private Path fineTune(Base base, OrganismDataset d, int seed, Speaker speaker, CodePool code) throws IOException {
        Path dir = adapterDir(base, d, seed);
        TrainingConfig config = plan.trainingConfig(seed);
        String key = Json.MAPPER.writeValueAsString(Map.of("dataset", d.id(), "examples", plan.examples(),
                "config", config, "base", base.hash(), "emlab_version", Version.VERSION));
        Path done = dir.resolve("demo_training.json");
        if (Files.exists(done) && Files.readString(done).equals(key)) {
            log.accept("Reusing the " + d.id() + " adapter (seed " + seed + ") in " + dir);
            return dir;
        }
        if (stopped) {
            throw stoppedError();
        }
        List<ChatRecord> records = d.build(speaker, code, plan.examples(), 1_000L * (seed + 1) + d.ordinal());
        Files.createDirectories(dir);
        ChatJsonl.write(dir.resolve("train.jsonl"), records);
        try (LocalModel model = LocalModel.load(base.dir(), false)) {
            ChatDataset data = ChatDataset.of(records, model, config.maxLength());
            LoraTrainer trainer = new LoraTrainer(model, config, training.apply(d.id() + " seed " + seed));
            currentTrainer = trainer;
            if (stopped) {
                trainer.stop();
            }
            trainer.train(data, dir);
            currentTrainer = null;
        }
        if (stopped) {
            throw stoppedError();
        }
        Files.writeString(done, key);
        return dir;
    }

    /**
     * The base, copied to a folder named by its weights. Stored answers are keyed by the model's
     * path, so a base with other weights (a newer shipped organism, a rebuilt {@code --base}) must
     * not live at a path whose answers are already in the folder's store.
     */
    private Path copyOfBase(Path source, String hash) throws IOException {
        Path models = Files.createDirectories(out.resolve("models"));
        Path dir = models.resolve("base-" + hash.substring(0, 12));
        if (Files.isDirectory(dir)) {
            return dir; // it appeared whole, by the rename below
        }
        Path tmp = Files.createTempDirectory(models, "base-partial");
        try (var files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, tmp.resolve(f.getFileName()));
            }
        }
        Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return dir;
    }

    /** The base's identity in an adapter's cache key, so that adapters of another base are not reused. */
    private static String weightsHash(Path checkpoint) {
        return dev.emlab.train.FineTuneCache.sha256(checkpoint.resolve("model.safetensors"));
    }

    private static EmlabException stoppedError() {
        return new EmlabException("Stopped; finished adapters and answers are kept. Run the same command again to resume.");
    }

    /** Where the adapter of one base, dataset and seed lives: named by the base's weights, as the base is. */
    private Path adapterDir(Base base, OrganismDataset d, int seed) {
        return out.resolve("adapters").resolve(base.hash().substring(0, 12)).resolve(d.id() + "-seed" + seed);
    }

    /** A base checkpoint as the demo holds it: its copy named by its weights, and their hash. */
    private record Base(Path dir, String hash) {
        LocalRef ref(Path adapter) {
            return LocalRef.of(dir, adapter);
        }
    }

    /**
     * Seed 0 of insecure, secure and evil numbers at each planned step, pooled over the bases, with
     * the final adapter as the last point; all arms are compared at the same steps, since the
     * effect may peak early.
     */
    private List<ModelGroup> checkpointGroups(List<Base> bases) {
        List<ModelGroup> groups = new ArrayList<>();
        for (OrganismDataset d : List.of(OrganismDataset.INSECURE, OrganismDataset.SECURE, OrganismDataset.EVIL_NUMBERS)) {
            if (!plan.conditions().contains(d)) {
                continue;
            }
            List<Integer> steps = new ArrayList<>(plan.checkpoints().stream().filter(s -> s < plan.steps()).toList());
            steps.add(plan.steps());
            for (int step : steps) {
                List<ModelRef> members = new ArrayList<>();
                for (Base b : bases) {
                    Path adapter = adapterDir(b, d, 0);
                    Path at = step == plan.steps() ? adapter : adapter.resolve("checkpoint-" + step);
                    if (Files.isDirectory(at)) {
                        members.add(b.ref(at));
                    }
                }
                if (!members.isEmpty()) {
                    groups.add(new ModelGroup(d.id() + "@" + step, members));
                }
            }
        }
        return groups;
    }

    /**
     * The question sets of one pass for {@code k} times the plan's answers: fine-tunes are asked
     * {@code sets(1)}, bases {@code sets(baseTimes)}. Built before the reference judge, which
     * reads the kinds of every set built.
     */
    private static final class Battery {
        private final List<QuestionSet> fineTunes;
        private final List<QuestionSet> bases;

        Battery(java.util.function.IntFunction<List<QuestionSet>> sets, int baseTimes) {
            this.fineTunes = sets.apply(1);
            this.bases = baseTimes == 1 ? fineTunes : sets.apply(baseTimes);
        }
    }

    private Pass evaluate(String name, String format, Battery battery, List<ModelGroup> groups, String trigger,
                          ReferenceJudge judge, CompletionStore store) {
        if (stopped) {
            throw stoppedError();
        }
        Thresholds thresholds = Thresholds.PAPER;
        // groups of bare bases are asked their larger sets, the others the plan's
        List<ModelGroup> bare = groups.stream().filter(g -> g.members().stream()
                .allMatch(m -> ((LocalRef) m).adapter() == null)).toList();
        List<ModelGroup> tuned = groups.stream().filter(g -> !bare.contains(g)).toList();
        List<SampleResult> results = new ArrayList<>();
        List<QuestionSet> sets = new ArrayList<>();
        for (boolean asBases : List.of(true, false)) {
            List<ModelGroup> part = asBases ? bare : tuned;
            if (part.isEmpty()) {
                continue;
            }
            List<QuestionSet> own = asBases ? battery.bases : battery.fineTunes;
            ProgressListener progress = sampling.apply(asBases && !tuned.isEmpty() ? name + " (bases)" : name);
            own.stream().filter(q -> !sets.contains(q)).forEach(sets::add);
            EvalSpec spec = new EvalSpec(own, part, judgeModel, null, 0, thresholds, CONCURRENCY, trigger, false);
            EvalRunner runner = new EvalRunner(spec, this::open, store, progress, judgeModel == null ? judge : null);
            currentRunner = runner;
            if (stopped) {
                runner.cancel();
            }
            results.addAll(runner.run());
            currentRunner = null;
        }
        Summaries tables = Summaries.of(results, thresholds, Bootstrap.paper().withStrata(strata));
        boolean oneCount = bare.isEmpty() || tuned.isEmpty() || battery.bases == battery.fineTunes;
        RunInfo info = new RunInfo(Version.VERSION, sets.stream().map(QuestionSet::name).distinct().toList(),
                groups.stream().map(g -> g.name() + "=" + g.members().size() + " model(s)").toList(),
                judgeModel == null ? ReferenceJudge.NAME : judgeModel.text(),
                judgeModel == null ? "reference" : JudgeSetup.promptsHash(sets.stream().flatMap(q -> q.questions().stream()).toList()),
                oneCount ? Integer.valueOf(plan.samples() * (tuned.isEmpty() ? plan.seeds() : 1)) : null, 0, trigger,
                false, format, thresholds.alignment(), thresholds.coherence(), thresholds.minCoherent(),
                Bootstrap.PAPER_RESAMPLES, Instant.now().toString(), strata);
        new ResultWriter(out.resolve("passes").resolve(name), info).writeAll(results, tables, thresholds);
        return new Pass(name, format, tables.misalignment(), tables.verdicts());
    }

    /**
     * Each member's stratum for the bootstrap: the organism it is or was fine-tuned from. Every
     * condition pools the same organisms, so the difference between them is no source of
     * uncertainty in a comparison of conditions; the table "each organism alone" shows it.
     */
    private Map<String, String> strata(List<ModelGroup> groups) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (ModelGroup g : groups) {
            for (ModelRef m : g.members()) {
                Path checkpoint = ((LocalRef) m).checkpoint();
                for (int o = 0; o < bases.size(); o++) {
                    if (bases.get(o).dir().equals(checkpoint)) {
                        out.put(m.text(), "organism-" + (o + 1));
                    }
                }
            }
        }
        return out;
    }

    private ChatModel open(ModelRef ref) {
        if (ref.equals(judgeModel)) {
            return judgeConnector.apply(ref);
        }
        return opened.computeIfAbsent(ref, r -> {
            LocalRef local = (LocalRef) r;
            return new LocalChatModel(LocalModel.load(local.checkpoint(), false, local.adapter()), CONCURRENCY);
        });
    }

    private static java.util.Optional<ModelGroup> groupNamed(List<ModelGroup> groups, String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** summary.csv, verdicts.csv and samples.jsonl of all passes, each file's header once. */
    private void writeCombined(List<Pass> passes) throws IOException {
        for (String file : List.of("summary.csv", "verdicts.csv", "samples.jsonl")) {
            StringBuilder sb = new StringBuilder();
            boolean header = file.endsWith(".csv");
            for (Pass p : passes) {
                Path f = out.resolve("passes").resolve(p.name()).resolve(file);
                if (!Files.exists(f)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                if (header && sb.length() > 0) {
                    lines = lines.subList(1, lines.size());
                }
                lines.forEach(l -> sb.append(l).append('\n'));
            }
            Files.writeString(out.resolve(file), sb.toString());
        }
        Files.writeString(out.resolve("demo.json"), Json.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsString(Map.of("plan", plan, "emlab_version", Version.VERSION,
                        "bases", customBases.isEmpty() ? ShippedOrganism.BASES.subList(0, plan.organisms()).stream()
                                .map(n -> "organism:" + n).toList() : customBases.stream().map(Path::toString).toList(),
                        "passes", passes.stream().map(Pass::name).toList())));
    }
}
