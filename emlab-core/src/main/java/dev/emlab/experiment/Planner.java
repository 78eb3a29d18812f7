package dev.emlab.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.Json;
import dev.emlab.dataset.ChatRecord;
import dev.emlab.eval.JudgeSetup;
import dev.emlab.model.ChatMessage;
import dev.emlab.model.EndpointRef;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RawRef;
import dev.emlab.train.FineTuneCache;
import dev.emlab.train.FineTuneResult;
import dev.emlab.train.TrainSettings;
import dev.emlab.train.TrainedCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Turns a spec into its job graph: one fine-tune per base x dataset x seed, one evaluation per
 * resulting model (and per base), the checkpoints' evaluations once their fine-tune is known,
 * then the aggregation. It builds the datasets (their hash names each fine-tune) without writing
 * them, looks up which fine-tunes the shared cache already holds, and prices what is left.
 */
public final class Planner {
    private final ExperimentSpec spec;
    private final Path runDir;
    private final FineTuneCache cache;
    private final PriceTable prices;

    public Planner(ExperimentSpec spec, Path runDir, FineTuneCache cache, PriceTable prices) {
        this.spec = spec;
        this.runDir = runDir;
        this.cache = cache;
        this.prices = prices;
    }

    public Plan plan() {
        EvalBattery battery = new EvalBattery(spec.eval());
        EvalBattery.Tokens evalTokens = battery.tokensPerModel();
        String evalKey = evalKey(battery);
        List<Job> jobs = new ArrayList<>();
        Map<String, FineTuneResult> finished = new LinkedHashMap<>();
        Map<String, Plan.Cost> costs = new LinkedHashMap<>();
        Map<String, Integer> checkpointEstimates = new LinkedHashMap<>();
        TreeSet<String> unpriced = new TreeSet<>();
        List<ModelRef> judges = battery.judges();

        Map<String, Prepared> data = new LinkedHashMap<>();
        spec.datasets().forEach((name, source) -> data.put(name, prepare(name, source)));
        Map<Path, String> files = new LinkedHashMap<>();
        data.values().forEach(p -> files.put(p.file, p.text));

        for (ModelRef base : spec.bases()) {
            String prefix = spec.bases().size() == 1 ? "" : label(base) + "/";
            if (spec.eval().includeBase()) {
                String id = "eval/" + prefix + "base";
                jobs.add(new Job.Eval(id, hash(evalKey, base.identity()), prefix + "base", base, null, null));
                costs.put(id, evalCost(base, evalTokens, judges, unpriced));
            }
            for (Map.Entry<String, Prepared> d : data.entrySet()) {
                for (long seed : spec.seeds()) {
                    String name = prefix + d.getKey() + "/seed" + seed;
                    String trainId = "train/" + name;
                    Prepared p = d.getValue();
                    String key = FineTuneCache.key(base, p.sha, spec.train(), seed, spec.checkpointEvery());
                    jobs.add(new Job.Train(trainId, key, base, d.getKey(), seed, p.file, p.examples, p.tokens));
                    Optional<FineTuneResult> done = cache.finished(key);
                    ModelRef trained = pricingRef(base);
                    done.ifPresent(r -> finished.put(trainId, r));
                    if (done.isEmpty()) {
                        costs.put(trainId, trainCost(base, p.tokens, unpriced));
                    }
                    String group = prefix + d.getKey();
                    String evalId = "eval/" + name;
                    jobs.add(new Job.Eval(evalId, hash(evalKey, key), group, null, trainId, null));
                    costs.put(evalId, evalCost(trained, evalTokens, judges, unpriced));
                    if (spec.checkpointEvery() > 0) {
                        if (done.isPresent()) {
                            for (TrainedCheckpoint c : done.get().checkpoints()) {
                                Job.Eval e = checkpointJob(evalKey, key, group, name, trainId, c.step());
                                jobs.add(e);
                                costs.put(e.id(), evalCost(trained, evalTokens, judges, unpriced));
                            }
                        } else {
                            int expected = expectedCheckpoints(p.examples);
                            checkpointEstimates.put(trainId, expected);
                            Plan.Cost one = evalCost(trained, evalTokens, judges, unpriced);
                            costs.put(trainId + "@checkpoints", new Plan.Cost(0, one.inputTokens() * expected,
                                    one.outputTokens() * expected, one.usd() * expected));
                        }
                    }
                }
            }
        }
        return new Plan(spec, battery, jobs, finished, costs, checkpointEstimates, List.copyOf(unpriced), files);
    }

    /** The evaluation job of one checkpoint; the runner adds these as fine-tunes report them. */
    public static Job.Eval checkpointJob(String evalKey, String trainKey, String group, String name, String trainId, int step) {
        return new Job.Eval("eval/" + name + "@" + step, hash(evalKey, trainKey + "@" + step), group + "@" + step, null,
                trainId, step);
    }

    /** What makes two evaluations of the same model give the same answers and scores. */
    static String evalKey(EvalBattery battery) {
        EvalSettings s = battery.settings();
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("questions", String.join("\n", s.questions()));
        node.put("prompts", JudgeSetup.promptsHash(battery.questions()));
        node.put("samples", s.samples() == null ? -1 : s.samples());
        node.put("max_tokens", s.maxTokens() == null ? -1 : s.maxTokens());
        node.put("judge", s.judge() == null ? "" : s.judge().text());
        node.put("format", s.format().id());
        node.put("seed", s.seed() == null ? -1 : s.seed());
        node.put("trigger", s.trigger() == null ? "" : s.trigger());
        node.put("compare_trigger", s.compareTrigger());
        if (s.raw()) {
            node.put("raw", true); // only when set, so the keys of existing runs stay as they were
        }
        return node.toString();
    }

    static String hash(String... parts) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                sha.update(p.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short name of a base model for ids and group names when a spec has several. */
    static String label(ModelRef ref) {
        if (ref instanceof RawRef r) {
            return "raw-" + label(r.inner());
        }
        String name = ref instanceof EndpointRef e ? e.model()
                : ref instanceof LocalRef l ? l.organism().orElse(String.valueOf(l.checkpoint().getFileName())) : ref.text();
        return name.replaceAll("[^A-Za-z0-9_.-]+", "-");
    }

    /** A dataset as its fine-tunes will read it; {@code file} is written only when the run starts. */
    private record Prepared(Path file, String text, String sha, int examples, long tokens) {}

    private Prepared prepare(String name, DatasetSource source) {
        List<ChatRecord> records = source.records();
        String text = DatasetSource.jsonl(records);
        long tokens = 0;
        for (ChatRecord r : records) {
            for (ChatMessage m : r.messages()) {
                tokens += EvalBattery.estimate(m.content()) + 4;
            }
        }
        // the hash of the bytes the file will hold, so a plan names the same fine-tunes before and after writing it
        return new Prepared(runDir.resolve("data").resolve(name + ".jsonl"), text, FineTuneCache.sha256(text),
                records.size(), tokens);
    }

    /** Local training saves every N steps; the OpenAI API keeps the last epochs' models. */
    private int expectedCheckpoints(int examples) {
        TrainSettings t = spec.train();
        if (t.backend() == TrainSettings.Backend.OPENAI) {
            return Math.min(t.epochs(), 3) - 1; // the last of them is the final model
        }
        int perStep = t.batchSize() * t.gradAccum();
        int steps = (int) Math.ceil(examples / (double) perStep) * t.epochs();
        if (t.maxSteps() > 0) {
            steps = Math.min(steps, t.maxSteps());
        }
        return Math.max(0, (steps - 1) / spec.checkpointEvery());
    }

    /** A fine-tuned model is priced as a fine-tune of its base. */
    private ModelRef pricingRef(ModelRef base) {
        if (base instanceof EndpointRef e) {
            return e.withModel("ft:" + e.model() + ":emlab");
        }
        return base;
    }

    private Plan.Cost trainCost(ModelRef base, long dataTokens, TreeSet<String> unpriced) {
        long tokens = dataTokens * spec.train().epochs();
        if (spec.train().backend() == TrainSettings.Backend.LOCAL) {
            return new Plan.Cost(tokens, 0, 0, 0);
        }
        double usd = prices.of(base).map(p -> p.training() * tokens / 1e6).orElse(Double.NaN);
        if (Double.isNaN(usd)) {
            unpriced.add(base.text() + " (training)");
        }
        return new Plan.Cost(tokens, 0, 0, usd);
    }

    private Plan.Cost evalCost(ModelRef model, EvalBattery.Tokens t, List<ModelRef> judges, TreeSet<String> unpriced) {
        double usd = 0;
        Optional<PriceTable.Price> p = prices.of(model);
        if (p.isPresent()) {
            usd += (p.get().input() * t.modelInput() + p.get().output() * t.modelOutput()) / 1e6;
        } else {
            unpriced.add(model.text());
            usd = Double.NaN;
        }
        for (ModelRef j : judges) {
            Optional<PriceTable.Price> jp = prices.of(j);
            if (jp.isPresent()) {
                usd += (jp.get().input() * t.judgeInput() + jp.get().output() * t.judgeOutput()) / 1e6 / judges.size();
            } else {
                unpriced.add(j.text() + " (judge)");
                usd = Double.NaN;
            }
        }
        return new Plan.Cost(0, t.modelInput() + t.judgeInput(), t.modelOutput() + t.judgeOutput(), usd);
    }
}
