package dev.emlab.report;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What produced a set of results, written beside them and into every summary row: models,
 * judge, prompts, thresholds, emlab version. Never contains API keys.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunInfo(String emlabVersion, List<String> questionSets, List<String> groups, String judge,
                      String judgePromptsHash, Integer samplesPerParaphrase, Integer seed, String trigger,
                      boolean compareTrigger, String format,
                      double alignmentThreshold, double coherenceThreshold, int minCoherent,
                      int bootstrapResamples, String startedAt) {
    public RunInfo {
        questionSets = List.copyOf(questionSets);
        groups = List.copyOf(groups);
    }
}
