package dev.emlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.judge.HarmRating;
import dev.emlab.judge.JudgeMethod;
import dev.emlab.judge.Judgement;
import dev.emlab.judge.Score;
import dev.emlab.model.ModelRef;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionType;
import dev.emlab.question.Sampling;
import dev.emlab.stats.Bootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HarmSummarizerTest {
    private static final Question Q1 = question("crime-01");
    private static final Question Q2 = question("crime-02");
    private static final ModelRef A = ModelRef.parse("http://127.0.0.1:1/v1#a");
    private static final ModelRef B = ModelRef.parse("http://127.0.0.1:1/v1#b");

    private static final HarmRating REFUSED = HarmRating.of("refusal", true, 1, 1, "");
    private static final HarmRating HALF = HarmRating.of("refusal", false, 4, 2, "");      // (3 - 1) / 4 = 0.5
    private static final HarmRating FULL = HarmRating.of("refusal", false, 5, 5, "");      // 1.0
    private static final HarmRating MOST = HarmRating.of("refusal", false, 3, 4, "");      // 0.625
    private static final HarmRating UNPARSED = HarmRating.unparsed("refusal", "no idea");

    private static Question question(String id) {
        return new Question(id, QuestionType.HARMFUL_REQUEST, List.of("p"), null, 1, null, Map.of(), Sampling.PAPER);
    }

    private static List<SampleResult> answers(String group, ModelRef model, Question q, HarmRating... ratings) {
        List<SampleResult> out = new ArrayList<>();
        for (int i = 0; i < ratings.length; i++) {
            out.add(new SampleResult(group, model, q, 0, i, "x", List.<Judgement>of(ratings[i]), null));
        }
        return out;
    }

    private static SampleResult errored(ModelRef model, Question q) {
        return new SampleResult("g", model, q, 0, 99, null, List.of(), "sampling failed: 500");
    }

    @Test
    void ratesAndMeansFollowTheSummarysHierarchy() {
        List<SampleResult> results = new ArrayList<>();
        results.addAll(answers("g", A, Q1, REFUSED, REFUSED, HALF, UNPARSED)); // a, q1: refused 2/3, score 1/6
        results.addAll(answers("g", B, Q1, FULL, MOST));                       // b, q1: refused 0, score 0.8125
        results.add(errored(B, Q1));
        results.addAll(answers("g", A, Q2, FULL, REFUSED));                    // a, q2: refused 1/2, score 1/2
        results.addAll(answers("g", B, Q2, UNPARSED));                         // b, q2: nothing rated, left out
        Question open = new Question("wish", QuestionType.FREE_FORM_JUDGE_0_100, List.of("p"), null, 1, null, Map.of(),
                Sampling.PAPER);
        results.add(new SampleResult("g", A, open, 0, 0, "x",
                List.of(new Score("aligned", 10.0, null, JudgeMethod.LOGPROBS, null, "")), null));

        List<HarmRow> rows = new HarmSummarizer(Bootstrap.paper()).rows(results);
        assertEquals(List.of("crime-01", "crime-02", "ALL"), rows.stream().map(HarmRow::questionId).toList(),
                "other question types are not harm rows");

        HarmRow q1 = rows.get(0);
        assertCounts(q1, 7, 5, 2, 1, 1, 2);
        assertEquals((2.0 / 3 + 0) / 2, q1.refusal(), 1e-12);
        assertEquals((1.0 / 6 + 0.8125) / 2, q1.harmfulness(), 1e-12);

        HarmRow q2 = rows.get(1);
        assertCounts(q2, 3, 2, 1, 1, 0, 1);
        assertEquals(0.5, q2.refusal(), 1e-12);
        assertEquals(0.5, q2.harmfulness(), 1e-12);

        // ALL: a = mean over q1, q2; b = q1 only (nothing rated on q2); then the mean over a and b
        HarmRow all = rows.get(2);
        assertCounts(all, 10, 7, 3, 2, 1, 2);
        assertEquals(((2.0 / 3 + 0.5) / 2 + 0) / 2, all.refusal(), 1e-12);
        assertEquals(((1.0 / 6 + 0.5) / 2 + 0.8125) / 2, all.harmfulness(), 1e-12);

        for (HarmRow r : rows) {
            assertTrue(r.refusalLow() <= r.refusal() && r.refusal() <= r.refusalHigh(), r.toString());
            assertTrue(r.harmfulnessLow() <= r.harmfulness() && r.harmfulness() <= r.harmfulnessHigh(), r.toString());
            assertTrue(r.refusalHigh() > r.refusalLow() && r.harmfulnessHigh() > r.harmfulnessLow(), "the data vary: " + r);
        }
    }

    @Test
    void oneMemberOneQuestion() {
        // two answers, one refused and one fully harmful: a resample of two is 0, 1/2 or 1 with
        // probabilities 1/4, 1/2, 1/4, so the 2.5% and 97.5% quantiles are 0 and 1 for both measures
        List<HarmRow> rows = new HarmSummarizer(Bootstrap.paper()).rows(answers("solo", A, Q1, REFUSED, FULL));
        HarmRow q1 = rows.get(0);
        assertEquals("solo", q1.group());
        assertCounts(q1, 2, 2, 1, 0, 0, 1);
        assertEquals(0.5, q1.refusal(), 1e-12);
        assertEquals(0.0, q1.refusalLow(), 1e-12);
        assertEquals(1.0, q1.refusalHigh(), 1e-12);
        assertEquals(0.5, q1.harmfulness(), 1e-12);
        assertEquals(0.0, q1.harmfulnessLow(), 1e-12);
        assertEquals(1.0, q1.harmfulnessHigh(), 1e-12);
        assertEquals(q1.refusal(), rows.get(1).refusal(), "ALL of one question is that question");

        // identical answers leave nothing to resample: the interval is the point
        HarmRow same = new HarmSummarizer(Bootstrap.paper()).rows(answers("g", A, Q1, HALF, HALF, HALF)).get(0);
        assertEquals(0.0, same.refusalLow());
        assertEquals(0.0, same.refusalHigh());
        assertEquals(0.5, same.harmfulnessLow(), 1e-12);
        assertEquals(0.5, same.harmfulnessHigh(), 1e-12);
    }

    @Test
    void aQuestionWithNothingRatedHasCountsButNoRates() {
        List<SampleResult> results = new ArrayList<>(answers("g", A, Q1, UNPARSED, UNPARSED));
        results.add(errored(A, Q1));
        List<HarmRow> rows = new HarmSummarizer(Bootstrap.paper()).rows(results);
        for (HarmRow r : rows) {
            assertCounts(r, 3, 0, 0, 2, 1, 0);
            assertNull(r.refusal());
            assertNull(r.refusalLow());
            assertNull(r.harmfulness());
            assertNull(r.harmfulnessHigh());
        }
        assertEquals(List.of(), new HarmSummarizer(Bootstrap.paper()).rows(List.of()));
    }

    private static void assertCounts(HarmRow r, int n, int rated, int refused, int unparsed, int errored, int members) {
        assertEquals(List.of(n, rated, refused, unparsed, errored, members),
                List.of(r.n(), r.nRated(), r.nRefused(), r.nUnparsed(), r.nErrored(), r.members()), r.toString());
    }
}
