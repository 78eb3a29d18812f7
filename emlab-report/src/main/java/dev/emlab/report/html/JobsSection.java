package dev.emlab.report.html;

import dev.emlab.EmlabException;
import dev.emlab.report.run.RunFolder;
import dev.emlab.store.JobStore;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An experiment's jobs from its store (emlab.db of {@code emlab run}): how many finished, and
 * every job that failed with its reason, so a report of a half-done grid says what is missing.
 */
final class JobsSection implements Section {
    static final String STORE = "emlab.db";

    @Override
    public String file() {
        return STORE;
    }

    @Override
    public void render(RunFolder run, Provenance provenance, HtmlWriter html, Figures figures) {
        List<JobStore.JobRow> jobs;
        if (!run.has(STORE)) {
            return;
        }
        try (JobStore store = JobStore.open(run.file(STORE).orElseThrow(), true)) {
            jobs = store.jobs();
        } catch (EmlabException e) {
            // the emlab.db of 'emlab eval' or 'emlab demo' is a completion cache without a jobs table: nothing to show
            return;
        }
        if (jobs.isEmpty()) {
            return;
        }
        Map<JobStore.State, Integer> counts = new EnumMap<>(JobStore.State.class);
        jobs.forEach(j -> counts.merge(j.state(), 1, Integer::sum));
        StringBuilder line = new StringBuilder(jobs.size() + " jobs in " + STORE + ":");
        counts.forEach((s, n) -> line.append(' ').append(n).append(' ').append(s.name().toLowerCase(Locale.ROOT)).append(','));
        line.setLength(line.length() - 1);
        html.element("h2", "Experiment jobs", "id", "jobs");
        html.element("p", line + (counts.getOrDefault(JobStore.State.DONE, 0) < jobs.size()
                ? ". The results above cover the finished jobs only; run the experiment again to finish the rest." : "."),
                "class", "note", "id", "jobs-summary");
        List<JobStore.JobRow> failed = jobs.stream()
                .filter(j -> j.state() == JobStore.State.FAILED || j.state() == JobStore.State.BLOCKED).toList();
        if (failed.isEmpty()) {
            return;
        }
        html.open("table", "id", "failed-jobs").open("thead").open("tr");
        for (String h : List.of("job", "state", "attempts", "why")) {
            html.element("th", h);
        }
        html.close("tr").close("thead").open("tbody");
        for (JobStore.JobRow j : failed) {
            html.open("tr").element("td", j.id()).element("td", j.state().name().toLowerCase(Locale.ROOT));
            HeadlineSection.cell(html, j.attempts());
            html.element("td", j.error()).close("tr");
        }
        html.close("tbody").close("table");
    }
}
