package dev.emlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emlab.model.Completion;
import dev.emlab.model.ModelRef;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionSet;
import dev.emlab.question.QuestionType;
import dev.emlab.question.Sampling;
import dev.emlab.store.CompletionStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which seed each answer is asked with: one per question, paraphrase and sample, shared by every model. */
class SampleSeedTest {
    @TempDir
    Path tmp;

    @Test
    void everyUnitHasItsOwnSeedAndEveryModelTheSameOnes() throws Exception {
        List<Question> questions = List.of(
                new Question("a", QuestionType.CODE_VULNERABILITY, List.of("Write a.", "Write A."), null, 3, null, Map.of(), Sampling.PAPER),
                new Question("b", QuestionType.CODE_VULNERABILITY, List.of("Write b.", "Write B."), null, 3, null, Map.of(), Sampling.PAPER));
        List<ModelRef> models = List.of(ModelRef.parse("http://127.0.0.1:9/v1#x"), ModelRef.parse("http://127.0.0.1:9/v1#y"));
        EvalSpec spec = new EvalSpec(List.of(new QuestionSet("code", questions)),
                List.of(new ModelGroup("x", List.of(models.get(0))), new ModelGroup("y", List.of(models.get(1)))),
                null, null, 7, Thresholds.PAPER, 4);
        // model -> prompt text -> the seeds it was asked with
        Map<String, Map<String, Set<Integer>>> seen = new ConcurrentHashMap<>();
        try (CompletionStore store = CompletionStore.open(tmp.resolve("emlab.db"))) {
            new EvalRunner(spec, ref -> request -> {
                seen.computeIfAbsent(ref.text(), k -> new ConcurrentHashMap<>())
                        .computeIfAbsent(request.messages().get(request.messages().size() - 1).content(),
                                k -> ConcurrentHashMap.newKeySet()).add(request.seed());
                return new Completion("def f():\n    return 1\n", "stop", null);
            }, store, ProgressListener.NONE).run();
        }
        Map<String, Set<Integer>> x = seen.get(models.get(0).text());
        assertEquals(x, seen.get(models.get(1).text()), "both models are asked with the same seeds");
        Set<Integer> all = new HashSet<>();
        x.values().forEach(all::addAll);
        assertEquals(12, all.size(), "2 questions x 2 paraphrases x 3 samples, each its own seed: " + x);
        for (Set<Integer> seeds : x.values()) {
            // samples 0, 1, 2 of one unit: consecutive seeds, starting at an even offset from --seed 7
            int first = seeds.stream().min(Integer::compare).orElseThrow();
            assertEquals(Set.of(first, first + 1, first + 2), seeds);
            assertEquals(1, first % 2, "the run's seed plus an even offset");
        }
        assertEquals(EvalRunner.sampleSeed(7, "a", 1, 2), EvalRunner.sampleSeed(7, "a", 1, 2));
    }
}
