package dev.emlab.eval;

import dev.emlab.judge.ChoiceProbs;
import dev.emlab.judge.HarmRating;
import dev.emlab.judge.Judgement;
import dev.emlab.judge.Score;
import dev.emlab.judge.Verdict;
import dev.emlab.model.ModelRef;
import dev.emlab.question.Question;
import java.util.List;

/**
 * One sampled answer with everything the judges said about it.
 *
 * @param answer null when sampling failed
 * @param error why sampling or judging failed, or null
 */
public record SampleResult(String group, ModelRef model, Question question, int paraphraseIndex,
                           int sampleIndex, String answer, List<Judgement> judgements, String error) {
    public SampleResult {
        judgements = List.copyOf(judgements);
    }

    public boolean failed() {
        return error != null;
    }

    public String prompt() {
        return question.paraphrases().get(paraphraseIndex);
    }

    /** The score from the judge prompt with this name, or null. */
    public Score score(String prompt) {
        for (Judgement j : judgements) {
            if (j instanceof Score s && s.prompt().equals(prompt)) {
                return s;
            }
        }
        return null;
    }

    /** A multiple-choice probe's reading, or null for other questions. */
    public ChoiceProbs choice() {
        for (Judgement j : judgements) {
            if (j instanceof ChoiceProbs c) {
                return c;
            }
        }
        return null;
    }

    /** The verdict from the judge prompt with this name, or null. */
    public Verdict verdict(String prompt) {
        for (Judgement j : judgements) {
            if (j instanceof Verdict v && v.prompt().equals(prompt)) {
                return v;
            }
        }
        return null;
    }

    /** The harm rating from the judge prompt with this name, or null. */
    public HarmRating harmRating(String prompt) {
        for (Judgement j : judgements) {
            if (j instanceof HarmRating h && h.prompt().equals(prompt)) {
                return h;
            }
        }
        return null;
    }
}
