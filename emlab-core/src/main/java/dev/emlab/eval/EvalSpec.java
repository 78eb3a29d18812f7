package dev.emlab.eval;

import dev.emlab.InputException;
import dev.emlab.model.ModelRef;
import dev.emlab.question.QuestionSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything that defines an evaluation run.
 *
 * @param judge the judge for every question, or null to use each question's own {@code judge}
 *     field as an {@code openai:} model
 * @param samplesPerParaphrase overrides the questions' own counts when not null
 * @param seed sampling seed sent to the model (sample i gets seed + i), or null for none
 */
public record EvalSpec(List<QuestionSet> questionSets, List<ModelGroup> groups, ModelRef judge,
                       Integer samplesPerParaphrase, Integer seed, Thresholds thresholds, int concurrency) {
    public EvalSpec {
        questionSets = List.copyOf(questionSets);
        groups = List.copyOf(groups);
        Set<String> names = new HashSet<>();
        for (ModelGroup g : groups) {
            if (!names.add(g.name())) {
                throw new InputException("Two --model options make a group named '" + g.name()
                        + "'; give each its own name, e.g. --model " + g.name() + "2=REF.");
            }
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1");
        }
    }
}
