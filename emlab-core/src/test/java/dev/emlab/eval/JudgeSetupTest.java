package dev.emlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import dev.emlab.judge.JudgePrompt;
import dev.emlab.judge.RefusalJudge;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionType;
import dev.emlab.question.Sampling;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JudgeSetupTest {
    private static Question harmful(Map<String, String> judgePrompts) {
        return new Question("crime-01", QuestionType.HARMFUL_REQUEST, List.of("p"), null, 1, null, judgePrompts,
                Sampling.PAPER);
    }

    @Test
    void harmfulRequestsAreRatedWithTheRefusalRubricUnlessTheFileGivesItsOwn() {
        assertEquals(Map.of(JudgeSetup.REFUSAL, JudgePrompt.REFUSAL), JudgeSetup.prompts(harmful(Map.of())));
        JudgePrompt own = JudgeSetup.prompts(harmful(Map.of("refusal", "Rate {answer}"))).get(JudgeSetup.REFUSAL);
        assertEquals(new JudgePrompt("refusal", "Rate {answer}"), own);
        assertTrue(JudgeSetup.judges(harmful(Map.of()), request -> null).get(JudgeSetup.REFUSAL) instanceof RefusalJudge);
        InputException e = assertThrows(InputException.class, () -> JudgeSetup.judgeModel(harmful(Map.of()), null));
        assertTrue(e.getMessage().contains("--judge"), e.getMessage());
    }
}
