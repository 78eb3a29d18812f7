package dev.emlab.eval;

import dev.emlab.stats.Bootstrap;
import java.util.List;

/** Every table a run's answers are summarised into: misalignment, categorical verdicts, probe readings. */
public record Summaries(List<SummaryRow> misalignment, List<VerdictRow> verdicts, List<ChoiceRow> choices) {
    public Summaries {
        misalignment = List.copyOf(misalignment);
        verdicts = List.copyOf(verdicts);
        choices = List.copyOf(choices);
    }

    /** Summarises the answers with one bootstrap, so every table's intervals come from the same resampling rule. */
    public static Summaries of(List<SampleResult> results, Thresholds thresholds, Bootstrap bootstrap) {
        Summarizer summarizer = new Summarizer(thresholds, bootstrap);
        return new Summaries(summarizer.summary(results), summarizer.verdicts(results),
                new ChoiceSummarizer(bootstrap).summary(results));
    }
}
