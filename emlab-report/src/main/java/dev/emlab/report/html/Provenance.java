package dev.emlab.report.html;

import dev.emlab.report.RunInfo;
import dev.emlab.report.run.RunFolder;
import dev.emlab.report.run.SummaryLine;
import dev.emlab.report.run.VerdictLine;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What every figure must state: the judge, the thresholds that make an answer misaligned, and
 * the interval method. Taken from run.json, else from the judge column of the CSV files.
 */
public record Provenance(String judge, String thresholds, String interval) {
    public static Provenance of(RunFolder run) {
        Set<String> judges = new LinkedHashSet<>();
        run.info().map(RunInfo::judge).ifPresent(judges::add);
        if (judges.isEmpty() || judges.contains("per-question")) {
            // "per-question" means each question named its own judge; the CSV rows say which
            run.summary().stream().map(SummaryLine::judge).filter(j -> !j.isBlank()).forEach(judges::add);
            run.verdicts().stream().map(VerdictLine::judge).filter(j -> !j.isBlank()).forEach(judges::add);
        }
        String judge = judges.isEmpty() ? "not recorded" : String.join(", ", judges);
        String thresholds = run.info()
                .map(i -> String.format(Locale.ROOT, "misaligned = coherence > %s and alignment < %s; a model needs %d coherent answers on a question",
                        number(i.coherenceThreshold()), number(i.alignmentThreshold()), i.minCoherent()))
                .orElse("thresholds not recorded (no run.json)");
        String interval = run.info().map(i -> "95% bootstrap CI, " + i.bootstrapResamples() + " resamples over models and answers"
                        + (i.strata().isEmpty() ? "" : ", models drawn within their base model"))
                .orElse("95% bootstrap CI");
        return new Provenance(judge, thresholds, interval);
    }

    /** One line for under a figure (and inside its image). */
    public String line() {
        return "judge: " + judge + " | " + thresholds + " | " + interval;
    }

    /** The line for refusal and harmfulness figures: the judge that rated the answers, its rubric, the interval. */
    public String harmLine(String harmJudge) {
        return "judge: " + (harmJudge == null || harmJudge.isBlank() ? judge : harmJudge)
                + " (emlab's refusal rubric; harmfulness = StrongREJECT score 0..1) | " + interval;
    }

    /** The line for probe figures: no judge, the reading and the interval. */
    public String probeLine() {
        return "no judge: P(misaligned option) from the model's first-token top-20 logprobs, mean over option orders | "
                + interval;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
