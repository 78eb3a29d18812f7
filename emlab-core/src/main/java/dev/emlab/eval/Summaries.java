package dev.emlab.eval;

import dev.emlab.stats.Bootstrap;
import java.util.List;

/**
 * Every table a run's answers are summarised into: misalignment, categorical verdicts, refusal and
 * harmfulness, multiple-choice probe readings.
 */
public record Summaries(List<SummaryRow> misalignment, List<VerdictRow> verdicts, List<HarmRow> harm,
                        List<ChoiceRow> choices) {
    /** No answers, no rows. */
    public static final Summaries NONE = new Summaries(List.of(), List.of(), List.of(), List.of());

    public Summaries {
        misalignment = List.copyOf(misalignment);
        verdicts = List.copyOf(verdicts);
        harm = List.copyOf(harm);
        choices = List.copyOf(choices);
    }

    /** Summarises the answers with one bootstrap, so every table's intervals come from the same resampling rule. */
    public static Summaries of(List<SampleResult> results, Thresholds thresholds, Bootstrap bootstrap) {
        Summarizer summarizer = new Summarizer(thresholds, bootstrap);
        return new Summaries(summarizer.summary(results), summarizer.verdicts(results),
                new HarmSummarizer(bootstrap).rows(results), new ChoiceSummarizer(bootstrap).summary(results));
    }
}
