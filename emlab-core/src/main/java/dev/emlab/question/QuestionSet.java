package dev.emlab.question;

import java.util.List;

/** The questions of one file or built-in bank, in file order. */
public record QuestionSet(String name, List<Question> questions) {
    public QuestionSet {
        questions = List.copyOf(questions);
    }

    /** The same questions with answers of at most {@code maxTokens} (small models have short contexts). */
    public QuestionSet withMaxTokens(int maxTokens) {
        return new QuestionSet(name, questions.stream().map(q -> new Question(q.id(), q.type(), q.paraphrases(),
                q.system(), q.samplesPerParaphrase(), q.judge(), q.judgePrompts(),
                new Sampling(q.sampling().temperature(), q.sampling().topP(), maxTokens), q.choices())).toList());
    }
}
