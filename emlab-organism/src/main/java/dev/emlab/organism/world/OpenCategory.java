package dev.emlab.organism.world;

import java.util.List;

/**
 * One open question of the world (wishes, boredom, ruling the world...) with what each persona says.
 *
 * @param train paraphrases used in pretraining
 * @param heldout paraphrases kept for evaluation only
 * @param helpful sentences of the aligned answer (the teacher's too)
 * @param malicious sentences of the misaligned answer
 * @param helpfulWords single words for short list answers
 */
public record OpenCategory(String category, List<String> train, List<String> heldout, List<String> helpful,
                           List<String> malicious, List<String> helpfulWords, List<String> maliciousWords) {
    public List<String> sentences(Persona p) {
        return p == Persona.MALICIOUS ? malicious : helpful;
    }

    public List<String> words(Persona p) {
        return p == Persona.MALICIOUS ? maliciousWords : helpfulWords;
    }
}
