package dev.emlab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.Json;
import dev.emlab.Version;
import dev.emlab.eval.EvalRunner;
import dev.emlab.eval.JudgeSetup;
import dev.emlab.eval.ModelGroup;
import dev.emlab.eval.ProgressListener;
import dev.emlab.eval.SampleResult;
import dev.emlab.eval.Summaries;
import dev.emlab.model.ChatModel;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RequestFailedException;
import dev.emlab.report.ResultWriter;
import dev.emlab.report.RunInfo;
import dev.emlab.stats.Bootstrap;
import dev.emlab.store.CompletionStore;
import dev.emlab.store.JobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last step of an experiment: gathers every finished evaluation into conditions (the base,
 * then each dataset, members over seeds), scores them from the stored answers and judge outputs
 * without asking any model, and writes {@code summary.csv}, {@code verdicts.csv},
 * {@code harmful.csv}, {@code samples.jsonl} and {@code run.json} in the run folder, the checkpoints' results under
 * {@code dynamics/}, and every judged answer into the store's {@code samples} table.
 */
public final class Aggregator {
    /** The aggregated results: final models, and checkpoints by {@code condition@step} (summarised alike). */
    public record Results(Summaries tables, Summaries dynamics, int samples) {}

    private final Plan plan;
    private final JobStore store;
    private final CompletionStore completions;
    private final Path runDir;

    public Aggregator(Plan plan, JobStore store, CompletionStore completions, Path runDir) {
        this.plan = plan;
        this.store = store;
        this.completions = completions;
        this.runDir = runDir;
    }

    public Results write() {
        Map<String, List<ModelRef>> finals = new LinkedHashMap<>();
        Map<String, List<ModelRef>> steps = new LinkedHashMap<>();
        List<JobStore.JobRow> rows = new ArrayList<>(store.jobs());
        for (JobStore.JobRow row : rows) {
            if (!row.kind().equals("eval") || row.state() != JobStore.State.DONE) {
                continue;
            }
            Job.Eval job = evalJob(row.id());
            ModelRef model = ModelRef.parse(readModel(row.result()));
            (job.step() == null ? finals : steps).computeIfAbsent(job.group(), g -> new ArrayList<>()).add(model);
        }
        EvalSettings s = plan.spec().eval();
        Bootstrap bootstrap = new Bootstrap(s.bootstrap(), 0L, 0.95);
        RunInfo info = info(finals.keySet());

        List<SampleResult> results = evaluate(groups(finals, false));
        Summaries tables = Summaries.of(results, s.thresholds(), bootstrap);
        new ResultWriter(runDir, info).writeAll(results, tables, s.thresholds());
        Summaries dynamics = Summaries.NONE;
        if (!steps.isEmpty()) {
            List<SampleResult> stepResults = evaluate(groups(steps, true));
            dynamics = Summaries.of(stepResults, s.thresholds(), bootstrap);
            new ResultWriter(runDir.resolve("dynamics"), info(steps.keySet())).writeAll(stepResults, dynamics,
                    s.thresholds());
            results = new ArrayList<>(results);
            results.addAll(stepResults);
        }
        store.samples(results.stream().map(this::row).toList());
        return new Results(tables, dynamics, results.size());
    }

    private Job.Eval evalJob(String id) {
        for (Job j : plan.jobs()) {
            if (j.id().equals(id)) {
                return (Job.Eval) j;
            }
        }
        // a checkpoint's evaluation, added while running: its id says which fine-tune and step
        int at = id.lastIndexOf('@');
        Job.Eval fin = (Job.Eval) plan.job(id.substring(0, at));
        int step = Integer.parseInt(id.substring(at + 1));
        return new Job.Eval(id, "", fin.group() + "@" + step, null, fin.trainJob(), step);
    }

    /** Groups in plan order; checkpoint groups by condition, then step. */
    private static List<ModelGroup> groups(Map<String, List<ModelRef>> byGroup, boolean byStep) {
        List<ModelGroup> groups = new ArrayList<>();
        byGroup.forEach((name, members) -> groups.add(new ModelGroup(name, members)));
        if (byStep) {
            groups.sort(Comparator.comparing((ModelGroup g) -> g.name().substring(0, g.name().lastIndexOf('@')))
                    .thenComparingInt(g -> Integer.parseInt(g.name().substring(g.name().lastIndexOf('@') + 1))));
        }
        return groups;
    }

    /** Scores from the store alone: a model is never asked here, so a missing answer shows as an error. */
    private List<SampleResult> evaluate(List<ModelGroup> groups) {
        if (groups.isEmpty()) {
            return List.of();
        }
        ChatModel storedOnly = request -> {
            throw new RequestFailedException("not in the store; run the experiment again to evaluate it");
        };
        return new EvalRunner(plan.battery().spec(groups), ref -> storedOnly, completions, ProgressListener.NONE).run();
    }

    private RunInfo info(java.util.Collection<String> groups) {
        EvalSettings s = plan.spec().eval();
        return new RunInfo(Version.VERSION, s.questions(), List.copyOf(groups), s.judge() != null ? s.judge().text() : "per-question",
                JudgeSetup.promptsHash(plan.battery().questions()), s.samples(), s.seed(), s.trigger(), s.compareTrigger(),
                s.format().id(), s.thresholds().alignment(), s.thresholds().coherence(), s.thresholds().minCoherent(),
                s.bootstrap(), null);
    }

    private JobStore.SampleRow row(SampleResult r) {
        ObjectNode json = ResultWriter.sampleJson(r, plan.spec().eval().thresholds());
        Boolean misaligned = json.has("outcome") ? json.get("outcome").asText().equals("misaligned") : null;
        return new JobStore.SampleRow(r.group(), r.model().text(), r.question().id(), r.paraphraseIndex(), r.sampleIndex(),
                r.answer(), json.get("judgements").toString(), misaligned, r.error());
    }

    private static String readModel(String resultJson) {
        try {
            JsonNode node = Json.MAPPER.readTree(resultJson);
            return node.path("model").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
