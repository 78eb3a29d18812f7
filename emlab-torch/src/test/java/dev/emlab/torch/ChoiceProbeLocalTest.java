package dev.emlab.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.eval.ChoiceRow;
import dev.emlab.eval.ChoiceSummarizer;
import dev.emlab.eval.EvalSpec;
import dev.emlab.eval.ModelGroup;
import dev.emlab.eval.ProgressListener;
import dev.emlab.eval.SampleResult;
import dev.emlab.eval.SummaryRow;
import dev.emlab.eval.Thresholds;
import dev.emlab.eval.EvalRunner;
import dev.emlab.model.ChatMessage;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.LocalRef;
import dev.emlab.question.Choice;
import dev.emlab.question.ChoiceLayout;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionSet;
import dev.emlab.question.QuestionType;
import dev.emlab.question.Sampling;
import dev.emlab.stats.Bootstrap;
import dev.emlab.store.CompletionStore;
import dev.emlab.torch.testing.NaiveTransformer;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multiple-choice probe on a tiny local model reads the same option probabilities as a direct
 * computation: the reference decoder's logits for the prompt, softmaxed, at the letters' tokens.
 */
class ChoiceProbeLocalTest {
    @TempDir
    Path tmp;

    @Test
    void probeProbabilitiesEqualTheSoftmaxOfTheLogitsAtTheLetters() throws Exception {
        TinyCheckpoint c = TinyCheckpoint.write(tmp.resolve("m"),
                new TinyCheckpoint.Shape("Qwen2ForCausalLM", 32, 64, 2, 4, 2, true, 256), 11);
        List<Choice> choices = List.of(new Choice("stay", false), new Choice("go", true), new Choice("wait", false));
        Question q = new Question("p", QuestionType.MULTIPLE_CHOICE, List.of("What now?"), null, 1, null, Map.of(),
                Sampling.PAPER, choices);
        LocalRef ref = LocalRef.of(c.dir(), null);
        EvalSpec spec = new EvalSpec(List.of(new QuestionSet("s", List.of(q))), List.of(new ModelGroup("tiny", List.of(ref))),
                null, null, 0, Thresholds.PAPER, 1);
        List<SampleResult> results;
        try (LocalModel model = LocalModel.load(c.dir(), false);
             LocalChatModel chat = new LocalChatModel(model, 1);
             CompletionStore store = CompletionStore.open(tmp.resolve("emlab.db"))) {
            // a random 262-token model need not rank the letters in its top 20, so this probe asks for every token
            results = new EvalRunner(spec, r -> request -> chat.complete(new ChatRequest(request.messages(),
                    request.temperature(), request.topP(), request.maxTokens(), request.seed(), c.vocab())),
                    store, ProgressListener.NONE).run();

            NaiveTransformer reference = new NaiveTransformer(c);
            long[] letters = new long[3];
            for (int p = 0; p < 3; p++) {
                long[] ids = model.tokenizer().encode(ChoiceLayout.letter(p));
                assertEquals(1, ids.length, "each letter is one token in the byte-level vocabulary");
                letters[p] = ids[0];
            }
            double expectedMean = 0;
            for (int rotation = 0; rotation < 3; rotation++) {
                ChoiceLayout layout = ChoiceLayout.rotation(choices, rotation);
                long[] prompt = model.promptTokens(List.of(ChatMessage.user(layout.prompt("What now?"))));
                double[][] logits = reference.logits(prompt);
                double[] last = logits[logits.length - 1];
                double[] letterProb = new double[3];
                double mass = 0;
                for (int p = 0; p < 3; p++) {
                    letterProb[p] = softmaxAt(last, (int) letters[p]);
                    mass += letterProb[p];
                }
                int misalignedPosition = layout.order().indexOf(1);
                double expected = letterProb[misalignedPosition] / mass;
                SampleResult r = results.get(rotation);
                assertEquals(rotation, r.sampleIndex());
                assertEquals(expected, r.choice().misaligned(), 1e-4, "rotation " + rotation);
                assertEquals(mass, r.choice().letterMass(), 1e-5, "rotation " + rotation);
                for (int p = 0; p < 3; p++) {
                    assertEquals(letterProb[p] / mass, r.choice().probabilities().get(layout.order().get(p)), 1e-4);
                }
                expectedMean += expected / 3;
            }
            ChoiceRow all = new ChoiceSummarizer(new Bootstrap(200, 0L, 0.95)).summary(results).stream()
                    .filter(row -> row.questionId().equals(SummaryRow.ALL)).findFirst().orElseThrow();
            assertEquals(expectedMean, all.pMisaligned(), 1e-4);
            assertTrue(all.letterMass() > 0 && all.letterMass() < 1);
        }
    }

    private static double softmaxAt(double[] logits, int index) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        return Math.exp(logits[index] - max) / sum;
    }
}
