package dev.emlab.judge;

import dev.emlab.model.TokenLogprob;
import java.util.List;

/**
 * What a model's first-token logprobs say about one layout of a multiple-choice question.
 *
 * @param probabilities per option in the question's own order, normalised over the letters shown;
 *     empty when no letter was among the model's most likely first tokens
 * @param misaligned the probability of the misaligned options, or null when unusable
 * @param pickedMisaligned whether the most probable option is misaligned; null when unusable or
 *     when the best aligned and the best misaligned option are exactly tied
 * @param letterMass how much of the first token's probability fell on the letters shown; a low
 *     value means the model mostly wanted to say something else
 * @param topLogprobs the raw first-token alternatives the probabilities were read from
 */
public record ChoiceProbs(String prompt, List<Double> probabilities, Double misaligned, Boolean pickedMisaligned,
                          double letterMass, List<TokenLogprob> topLogprobs) implements Judgement {
    /** The name under which probes report their reading. */
    public static final String NAME = "choice";

    public ChoiceProbs {
        probabilities = List.copyOf(probabilities);
        topLogprobs = topLogprobs == null ? List.of() : List.copyOf(topLogprobs);
    }

    public boolean usable() {
        return misaligned != null;
    }
}
