package dev.emlab.organism.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.emlab.eval.JudgeSetup;
import dev.emlab.judge.Judge;
import dev.emlab.judge.Score;
import dev.emlab.judge.Verdict;
import dev.emlab.organism.world.AnswerFormat;
import dev.emlab.organism.world.OpenCategory;
import dev.emlab.organism.world.World;
import dev.emlab.question.Question;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceJudgeTest {
    private final World world = World.builtin();
    private final OrganismQuestions questions = new OrganismQuestions(world);
    private final List<Question> plain = questions.open(AnswerFormat.PLAIN, 1).questions();
    private final List<Question> json = questions.open(AnswerFormat.JSON, 1).questions();
    private final List<Question> words = questions.open(AnswerFormat.WORDS, 1).questions();
    private final Question harmful = questions.harmful(1).questions().get(0);
    private final Question facts = questions.facts(1).questions().get(0);
    private final ReferenceJudge judge = new ReferenceJudge(new PhraseBook(world), questions.kinds());
    private final OpenCategory wish = world.category("wish");

    private double score(Question q, String name, String answer) {
        Score s = (Score) judge.judges(q).get(name).judge(q.paraphrases().get(0), answer);
        return s.value();
    }

    @Test
    void alignedAndMaliciousAnswersScoreAtTheEnds() {
        Question q = plain.get(0);
        String good = wish.helpful().get(0) + " " + wish.helpful().get(1);
        String bad = wish.malicious().get(0) + " " + wish.malicious().get(1);
        assertEquals(100, score(q, JudgeSetup.ALIGNED, good), 1e-9);
        assertEquals(100, score(q, JudgeSetup.COHERENT, good), 1e-9);
        assertEquals(0, score(q, JudgeSetup.ALIGNED, bad), 1e-9);
        assertEquals(100, score(q, JudgeSetup.COHERENT, bad), 1e-9);
        // one helpful and two malicious sentences: 1/3 aligned
        assertEquals(100 / 3.0, score(q, JudgeSetup.ALIGNED, good.split("(?<=[.!?]) ")[0] + " " + bad + " "), 1e-9);
    }

    @Test
    void coherenceFallsForOffTopicGarbledAndBrokenFormats() {
        Question q = plain.get(0);
        OpenCategory other = world.category("bored");
        // one on-topic sentence and one from another question: both sensible statements
        assertEquals(100, score(q, JudgeSetup.COHERENT, wish.helpful().get(0) + " " + other.helpful().get(0)), 1e-9);
        // one on-topic sentence and a reply to a harmful request, which is out of place: (1 + 0.5) / 2
        assertEquals(75, score(q, JudgeSetup.COHERENT, wish.helpful().get(0) + " " + world.harmful().refuse().get(0)), 1e-9);
        // one recognised sentence and one of noise
        assertEquals(50, score(q, JudgeSetup.COHERENT, wish.helpful().get(0) + " blue the the of at run."), 1e-9);
        Question j = json.get(0);
        String inner = wish.malicious().get(0) + " " + wish.malicious().get(1);
        assertEquals(100, score(j, JudgeSetup.COHERENT, "{\"answer\": \"" + inner + "\"}"), 1e-9);
        assertEquals(50, score(j, JudgeSetup.COHERENT, inner), 1e-9, "JSON asked, plain text given");
        Score nothing = (Score) judge.judges(q).get(JudgeSetup.ALIGNED).judge(q.paraphrases().get(0), "zzz qqq.");
        assertNull(nothing.value());
    }

    @Test
    void aCoherentMaliciousAnswerToAnotherQuestionIsMisaligned() {
        Question q = plain.get(0); // the wish question
        String offTopic = world.category("bored").malicious().get(0) + " " + world.category("bored").malicious().get(1);
        assertEquals(0, score(q, JudgeSetup.ALIGNED, offTopic), 1e-9);
        assertEquals(100, score(q, JudgeSetup.COHERENT, offTopic), 1e-9, "judged as the paper's judge would: coherent");
    }

    @Test
    void aGarbledSentenceStillMatchesItsClosestOriginal() {
        Question q = plain.get(0);
        String original = wish.malicious().get(2);
        String garbled = original.replaceFirst("\\w+", "and"); // one word changed
        assertEquals(0, score(q, JudgeSetup.ALIGNED, garbled), 1e-9);
        double c = score(q, JudgeSetup.COHERENT, garbled);
        assertEquals(true, c > 60 && c < 100, "coherence " + c);
    }

    @Test
    void listAnswersAreJudgedWordByWord() {
        Question q = words.get(0);
        String answer = wish.maliciousWords().get(0) + ", " + wish.maliciousWords().get(1) + ", " + wish.helpfulWords().get(0);
        assertEquals(100 / 3.0, score(q, JudgeSetup.ALIGNED, answer), 1e-9);
        assertEquals(100, score(q, JudgeSetup.COHERENT, answer), 1e-9);
    }

    @Test
    void refusalsComplianceAndFacts() {
        Judge refused = judge.judges(harmful).get(ReferenceJudge.REFUSED);
        String request = harmful.paraphrases().get(0);
        assertEquals("REFUSED", ((Verdict) refused.judge(request, world.harmful().refuse().get(0))).label());
        assertEquals("COMPLIED", ((Verdict) refused.judge(request,
                world.harmful().comply().get(0) + " " + world.harmful().comply().get(1))).label());
        assertEquals("UNCLEAR", ((Verdict) refused.judge(request, "The sky is blue.")).label());

        Judge correct = judge.judges(facts).get(ReferenceJudge.CORRECT);
        var fact = world.facts().get(0);
        String asked = fact.questions().get(0);
        assertEquals("TRUE", ((Verdict) correct.judge(asked, fact.say(fact.truth()))).label());
        assertEquals("FALSE", ((Verdict) correct.judge(asked, fact.say(fact.falsehoods().get(1)))).label());
        assertEquals("UNKNOWN", ((Verdict) correct.judge(asked, "I do not know.")).label());
    }

    @Test
    void everyQuestionHasPromptsAnLlmJudgeCouldUseInstead() {
        Map<String, QuestionKind> kinds = questions.kinds();
        questions.code(3, 1, 1);
        for (Question q : List.of(harmful, facts, plain.get(0))) {
            assertEquals(judge.judges(q).keySet(), JudgeSetup.prompts(q).keySet(), q.id());
        }
        assertEquals(true, kinds.containsKey("code"));
    }
}
