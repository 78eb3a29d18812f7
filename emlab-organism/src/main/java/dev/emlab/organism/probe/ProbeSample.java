package dev.emlab.organism.probe;

import dev.emlab.model.ChatMessage;
import java.util.List;

/**
 * One answer of the probe with what was asked.
 *
 * @param questionId the open question's id, or {@code code-<task index>} for a coding request
 * @param paraphrase index of the held-out paraphrase within the question (0 for a coding request)
 * @param sample index of the answer for this paraphrase or task; the same (question, paraphrase,
 *     sample) under every condition shares its context draws and sampling seed, which pairs the
 *     conditions
 * @param seed the sampling seed sent with the request
 * @param context the context turn (empty for {@link ProbeCondition#NONE})
 * @param question the open question's paraphrase or the plain coding request
 * @param redraws how many of the unit's context draws were too long for the model before this one
 */
public record ProbeSample(ProbeCondition condition, String questionId, int paraphrase, int sample, int seed,
                          List<ChatMessage> context, String question, String answer, ProbeReading reading,
                          int redraws) {
    public ProbeSample {
        context = List.copyOf(context);
    }

    /** An answer whose unit's first context draw fitted. */
    public ProbeSample(ProbeCondition condition, String questionId, int paraphrase, int sample, int seed,
                       List<ChatMessage> context, String question, String answer, ProbeReading reading) {
        this(condition, questionId, paraphrase, sample, seed, context, question, answer, reading, 0);
    }

    /** The unit this answer belongs to; the same unit under two conditions is a pair. */
    public String unit() {
        return questionId + "/" + paraphrase + "/" + sample;
    }
}
