package dev.emlab.torch.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.model.ChatMessage;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.testing.NaiveTransformer;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorerTest {
    @TempDir
    static Path tmp;

    static TinyCheckpoint checkpoint;
    static LocalModel model;

    @BeforeAll
    static void load() throws IOException {
        checkpoint = TinyCheckpoint.write(tmp.resolve("qwen"), TinyCheckpoint.Shape.QWEN, 11);
        model = LocalModel.load(checkpoint.dir(), false);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The reference: the naive decoder's log-softmax at each continuation token, summed. */
    private static double naive(long[] prompt, long[] continuation) {
        long[] seq = new long[prompt.length + continuation.length];
        System.arraycopy(prompt, 0, seq, 0, prompt.length);
        System.arraycopy(continuation, 0, seq, prompt.length, continuation.length);
        double[][] logits = new NaiveTransformer(checkpoint).logits(seq);
        double sum = 0;
        for (int j = 0; j < continuation.length; j++) {
            double[] row = logits[prompt.length - 1 + j];
            double max = Double.NEGATIVE_INFINITY;
            for (double v : row) {
                max = Math.max(max, v);
            }
            double z = 0;
            for (double v : row) {
                z += Math.exp(v - max);
            }
            sum += row[(int) continuation[j]] - max - Math.log(z);
        }
        return sum;
    }

    private static final long[] P1 = {TinyCheckpoint.IM_START, 104, 105, 32};
    private static final long[] C1 = {119, 104, 97, 116};
    private static final long[] P2 = {TinyCheckpoint.IM_START, 119, 104, 97, 116, 32, 105, 115, 32};
    private static final long[] C2 = {116, TinyCheckpoint.IM_END};

    @Test
    void theLikelihoodOfAContinuationMatchesTheNaiveReference() {
        double[] got = new Scorer(model.transformer(), model.manager()).logLikelihood(List.of(P1), List.of(C1));
        assertEquals(naive(P1, C1), got[0], 1e-3);
        assertTrue(got[0] < 0, "a log-probability of four tokens: " + got[0]);
    }

    @Test
    void rowsOfAPaddedBatchScoreAsTheyDoAlone() {
        Scorer scorer = new Scorer(model.transformer(), model.manager());
        double[] together = scorer.logLikelihood(List.of(P1, P2, P1), List.of(C1, C2, C2));
        assertEquals(scorer.logLikelihood(List.of(P1), List.of(C1))[0], together[0], 1e-4);
        assertEquals(scorer.logLikelihood(List.of(P2), List.of(C2))[0], together[1], 1e-4);
        assertEquals(naive(P2, C2), together[1], 1e-3);
        assertEquals(naive(P1, C2), together[2], 1e-3);
    }

    @Test
    void aChatsLastAnswerIsScoredGivenEverythingBeforeIt() {
        List<ChatMessage> chat = List.of(ChatMessage.user("hi"), ChatMessage.assistant("yo"), ChatMessage.user("what"),
                ChatMessage.assistant("this"));
        // the ChatML pieces (with the tiny template's default system prompt), tokenised one by one as training does
        List<Long> prompt = new ArrayList<>();
        for (String piece : List.of("<|im_start|>system\nYou are a tiny test model.<|im_end|>\n", "<|im_start|>user\n", "hi<|im_end|>", "\n", "<|im_start|>assistant\n", "yo<|im_end|>",
                "\n", "<|im_start|>user\n", "what<|im_end|>", "\n", "<|im_start|>assistant\n")) {
            for (long id : model.tokenizer().encode(piece)) {
                prompt.add(id);
            }
        }
        long[] answer = model.tokenizer().encode("this<|im_end|>");
        assertEquals(TinyCheckpoint.IM_END, answer[answer.length - 1], "the end-of-turn token is scored too");
        double expected = naive(prompt.stream().mapToLong(Long::longValue).toArray(), answer);
        double[] got = model.answerLogLikelihood(List.of(chat, chat.subList(0, 2)));
        assertEquals(expected, got[0], 1e-3);
        assertTrue(got[0] != got[1], "each chat's own last answer");
        assertThrows(IllegalArgumentException.class, () -> model.answerLogLikelihood(List.of(chat.subList(0, 3))));
    }
}
