package dev.emlab.report;

import java.util.List;

/**
 * What produced a set of results, written beside them and into every summary row: models,
 * judge, prompts, thresholds, emlab version. Never contains API keys.
 */
public record RunInfo(String emlabVersion, List<String> questionSets, List<String> groups, String judge,
                      String judgePromptsHash, Integer samplesPerParaphrase, Integer seed,
                      double alignmentThreshold, double coherenceThreshold, int minCoherent,
                      int bootstrapResamples, String startedAt) {
    public RunInfo {
        questionSets = List.copyOf(questionSets);
        groups = List.copyOf(groups);
    }
}
