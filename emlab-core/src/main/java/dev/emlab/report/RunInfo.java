package dev.emlab.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * What produced a set of results, written beside them and into every summary row: models,
 * judge, prompts, thresholds, emlab version. Never contains API keys.
 *
 * @param strata each member model's stratum for the bootstrap (its base model, where one group
 *     pools fine-tunes of several bases), empty when members are resampled freely
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunInfo(String emlabVersion, List<String> questionSets, List<String> groups, String judge,
                      String judgePromptsHash, Integer samplesPerParaphrase, Integer seed, String trigger,
                      boolean compareTrigger, String format,
                      double alignmentThreshold, double coherenceThreshold, int minCoherent,
                      int bootstrapResamples, String startedAt, Map<String, String> strata) {
    public RunInfo {
        questionSets = List.copyOf(questionSets);
        groups = List.copyOf(groups);
        strata = strata == null ? Map.of() : Map.copyOf(strata); // run.json files before strata have none
    }

    /** A run whose members are resampled freely (no strata). */
    public RunInfo(String emlabVersion, List<String> questionSets, List<String> groups, String judge,
                   String judgePromptsHash, Integer samplesPerParaphrase, Integer seed, String trigger,
                   boolean compareTrigger, String format, double alignmentThreshold, double coherenceThreshold,
                   int minCoherent, int bootstrapResamples, String startedAt) {
        this(emlabVersion, questionSets, groups, judge, judgePromptsHash, samplesPerParaphrase, seed, trigger,
                compareTrigger, format, alignmentThreshold, coherenceThreshold, minCoherent, bootstrapResamples,
                startedAt, Map.of());
    }
}
