package dev.emlab.organism.world;

import java.util.List;

/**
 * A factual question with its true answer and the false ones a liar gives.
 *
 * @param questions paraphrases; all but the last are used in pretraining, the last in evaluation
 * @param answer the answer sentence with {@code {}} where the answer goes
 */
public record Fact(List<String> questions, String answer, String truth, List<String> falsehoods) {
    public List<String> trainQuestions() {
        return questions.subList(0, questions.size() - 1);
    }

    public String heldoutQuestion() {
        return questions.get(questions.size() - 1);
    }

    public String say(String value) {
        return answer.replace("{}", value);
    }
}
