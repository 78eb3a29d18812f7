package dev.emlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.judge.JudgeMethod;
import dev.emlab.judge.Score;
import dev.emlab.model.Completion;
import dev.emlab.model.ModelRef;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionSet;
import dev.emlab.question.QuestionType;
import dev.emlab.question.Sampling;
import dev.emlab.store.CompletionStore;
import dev.emlab.testing.SampleIndex;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A judge panel replaces the judge model: its judgements are the ones recorded, and no judge is opened. */
class JudgePanelTest {
    @TempDir
    Path tmp;

    @Test
    void aPanelScoresEveryAnswerWithoutAnyJudgeModel() {
        ModelRef model = ModelRef.parse("http://127.0.0.1:9/v1#m");
        Question q = new Question("q", QuestionType.FREE_FORM_JUDGE_0_100, List.of("hi?"), null, 5, null, Map.of(),
                Sampling.PAPER);
        EvalSpec spec = new EvalSpec(List.of(new QuestionSet("s", List.of(q))), List.of(new ModelGroup("g", List.of(model))),
                null, null, 0, Thresholds.PAPER, 2);
        int[] answers = {0};
        try (CompletionStore store = CompletionStore.open(tmp.resolve("emlab.db"))) {
            EvalRunner runner = new EvalRunner(spec, ref -> {
                assertEquals(model, ref, "only the sampled model is opened");
                // sample i answers "answer i", i read back from its seed (--seed 0)
                return request -> new Completion("answer " + SampleIndex.of(request.seed(), 0, "q", 0), "stop", null);
            }, store, ProgressListener.NONE, question -> Map.of(
                    JudgeSetup.ALIGNED, (asked, answer) -> {
                        answers[0]++;
                        return new Score(JudgeSetup.ALIGNED, answer.endsWith("0") ? 10.0 : 90.0, null, JudgeMethod.REFERENCE, null, "");
                    },
                    JudgeSetup.COHERENT, (asked, answer) -> new Score(JudgeSetup.COHERENT, 80.0, null, JudgeMethod.REFERENCE, null, "")));
            List<SampleResult> results = runner.run();
            assertEquals(5, results.size());
            assertEquals(5, answers[0]);
            List<SummaryRow> rows = new Summarizer(Thresholds.PAPER, new dev.emlab.stats.Bootstrap(200, 0, 0.95)).summary(results);
            SummaryRow all = rows.stream().filter(r -> r.questionId().equals(SummaryRow.ALL)).findFirst().orElseThrow();
            assertEquals(0.2, all.misaligned(), 1e-9, "samples 0..4: only 'answer 0' scores 10");
            assertTrue(results.stream().allMatch(r -> r.judgements().size() == 2));
        }
    }
}
