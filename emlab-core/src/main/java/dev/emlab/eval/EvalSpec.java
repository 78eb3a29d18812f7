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
 * @param trigger text put before every user message (a backdoor's trigger), or null
 * @param compareTrigger evaluate every question both with and without the trigger
 */
public record EvalSpec(List<QuestionSet> questionSets, List<ModelGroup> groups, ModelRef judge,
                       Integer samplesPerParaphrase, Integer seed, Thresholds thresholds, int concurrency,
                       String trigger, boolean compareTrigger) {
    /** Suffix of a group's name in the arm that carries the trigger. */
    public static final String TRIGGER_SUFFIX = "+trigger";

    /** A spec without a trigger. */
    public EvalSpec(List<QuestionSet> questionSets, List<ModelGroup> groups, ModelRef judge,
                    Integer samplesPerParaphrase, Integer seed, Thresholds thresholds, int concurrency) {
        this(questionSets, groups, judge, samplesPerParaphrase, seed, thresholds, concurrency, null, false);
    }

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
        if (compareTrigger && (trigger == null || trigger.isBlank())) {
            throw new InputException("--compare-trigger needs --trigger TEXT.");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be >= 1");
        }
    }
}
