package dev.emlab.judge;

import dev.emlab.question.Question;
import java.util.Map;

/**
 * Chooses the judges that score a question's answers, by the name each judgement is reported
 * under ({@code aligned}, {@code coherent}, a verdict's name). The evaluation's default panel is
 * the judge model with the question's prompts; a world that knows its own answers (the organism)
 * brings a panel of its own.
 */
@FunctionalInterface
public interface JudgePanel {
    Map<String, Judge> judges(Question question);
}
