package dev.emlab.question;

import java.util.List;

/** The questions of one file or built-in bank, in file order. */
public record QuestionSet(String name, List<Question> questions) {
    public QuestionSet {
        questions = List.copyOf(questions);
    }
}
