package dev.emlab.cli;

import dev.emlab.store.JobStore;
import dev.emlab.store.JobStore.JobRow;
import dev.emlab.store.JobStore.State;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code emlab status runs/NAME}: an experiment's grid of jobs and how far it is, from its store. */
@Command(mixinStandardHelpOptions = true, name = "status", description = {
        "Show an experiment's jobs (fine-tune, evaluation, checkpoints) by condition and seed, and what failed.",
        "Reads the run folder's store only; safe while the experiment runs."})
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "A run folder made by 'emlab run', e.g. runs/insecure-vs-controls.")
    Path run;

    private boolean live;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (JobStore store = JobStore.open(run.resolve("emlab.db"), true)) {
            List<JobRow> jobs = store.jobs();
            Map<State, Integer> counts = new EnumMap<>(State.class);
            jobs.forEach(j -> counts.merge(j.state(), 1, Integer::sum));
            live = dev.emlab.store.ExperimentLock.held(run);
            out.printf("%s: %d jobs", run, jobs.size());
            counts.forEach((s, n) -> out.printf(", %d %s", n, word(s)));
            out.println();
            if (!live && counts.containsKey(State.RUNNING)) {
                out.println("no 'emlab run' is running this experiment: its running jobs were stopped (killed);"
                        + " the same 'emlab run' command starts them over");
            }
            store.meta("last_started_at").ifPresent(t -> out.println("last started  " + t));
            store.meta("last_finished_at").ifPresent(t -> out.println("last finished " + t));
            out.println();
            out.printf("%-36s %-9s %-9s %s%n", "model", "train", "eval", "checkpoints");
            for (Map.Entry<String, Row> e : grid(jobs).entrySet()) {
                Row r = e.getValue();
                out.printf("%-36s %-9s %-9s %s%n", e.getKey(), r.train == null ? "-" : word(r.train), r.eval == null ? "-" : word(r.eval),
                        r.checkpoints == 0 ? "" : r.checkpointsDone + "/" + r.checkpoints + " evaluated");
            }
            List<JobRow> failed = jobs.stream().filter(j -> j.state() == State.FAILED || j.state() == State.BLOCKED).toList();
            if (!failed.isEmpty()) {
                out.println();
                for (JobRow j : failed) {
                    out.printf("%s %s (attempt %d): %s%n", j.id(), word(j.state()), j.attempts(), j.error());
                }
            }
            out.printf("%nanswers judged in the last aggregation: %d%n", store.sampleCount());
        }
        out.flush();
        return 0;
    }

    private static final class Row {
        State train;
        State eval;
        int checkpoints;
        int checkpointsDone;
    }

    /** One row per model: a base, or a dataset and seed; its fine-tune, evaluation and checkpoints. */
    private static Map<String, Row> grid(List<JobRow> jobs) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (JobRow j : jobs) {
            String name = j.id().substring(j.id().indexOf('/') + 1);
            int at = name.lastIndexOf('@');
            Row r = rows.computeIfAbsent(at >= 0 ? name.substring(0, at) : name, k -> new Row());
            if (j.kind().equals("train")) {
                r.train = j.state();
            } else if (at >= 0) {
                r.checkpoints++;
                r.checkpointsDone += j.state() == State.DONE ? 1 : 0;
            } else {
                r.eval = j.state();
            }
        }
        return rows;
    }

    /** A running job with no run holding the folder's lock was stopped by a kill. */
    private String word(State s) {
        return s == State.RUNNING && !live ? "stopped" : s.name().toLowerCase(Locale.ROOT);
    }
}
