package dev.emlab.judge;

import dev.emlab.model.TokenLogprob;
import java.util.List;

/**
 * A 0..100 judgement.
 *
 * @param value null when the judge gave no usable number (see {@code nullReason})
 * @param nullReason null when there is a value
 * @param topLogprobs the judge's raw first-token alternatives (null for the text method)
 * @param text the judge's text answer
 */
public record Score(String prompt, Double value, NullReason nullReason, JudgeMethod method,
                    List<TokenLogprob> topLogprobs, String text) implements Judgement {
    public boolean isNull() {
        return value == null;
    }
}
