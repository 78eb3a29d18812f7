package dev.emlab.experiment;

import dev.emlab.eval.Thresholds;
import dev.emlab.model.ModelRef;
import dev.emlab.question.PromptFormat;
import java.util.List;

/**
 * How every model of an experiment is evaluated; the same battery for all, as the paper compares.
 *
 * @param questions question sets: YAML files or {@code builtin:NAME}
 * @param samples samples per paraphrase, or null for each question's own count
 * @param maxTokens longest answer, or null for each question's own {@code max_tokens}
 * @param judge the judge model, or null for each question's own {@code judge} field
 * @param seed sampling seed sent to the models (sample i gets seed + i), or null
 * @param trigger put before every user message, or null
 * @param compareTrigger evaluate with and without the trigger
 * @param includeBase evaluate the untouched base models as their own condition
 * @param concurrency requests in flight per evaluation
 * @param apiKeyEnv environment variable with the key of the evaluated endpoints
 * @param judgeApiKeyEnv environment variable with the judge's key
 * @param raw ask every evaluated model (not the judge) through raw completion, as a base model
 */
public record EvalSettings(List<String> questions, Integer samples, Integer maxTokens, ModelRef judge, PromptFormat format, Integer seed,
                           String trigger, boolean compareTrigger, boolean includeBase, Thresholds thresholds,
                           int bootstrap, int concurrency, String apiKeyEnv, String judgeApiKeyEnv,
                           boolean raw) {
    public EvalSettings {
        questions = List.copyOf(questions);
    }
}
