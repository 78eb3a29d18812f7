package dev.emlab.torch.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import dev.emlab.model.TokenLogprob;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.testing.FullForward;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
    @TempDir
    static Path tmp;

    static LocalModel model;

    private static final long[] SHORT = {TinyCheckpoint.IM_START, 104, 105};
    private static final long[] LONG = {TinyCheckpoint.IM_START, 119, 104, 97, 116, 32, 105, 115, 32, 116, 104, 105};

    @BeforeAll
    static void load() throws IOException {
        model = LocalModel.load(TinyCheckpoint.write(tmp.resolve("qwen"), TinyCheckpoint.Shape.QWEN, 7).dir(), false);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Generated one(long[] prompt, GenerationParams p, long seed) {
        return model.generate(List.of(prompt), p, new long[] {seed}).get(0);
    }

    @Test
    void greedyWithTheCacheEqualsRecomputingEverything() {
        int steps = 12;
        Generated cached = one(LONG, new GenerationParams(0, 1, steps, 3), 0);
        long[] seq = LONG.clone();
        for (int t = 0; t < cached.tokens().length; t++) {
            float[] logits = FullForward.logits(model, seq);
            int vocab = TinyCheckpoint.VOCAB;
            double[] last = Sampler.logSoftmax(logits, (seq.length - 1) * vocab, vocab);
            int argmax = Sampler.topK(last, 1)[0];
            assertEquals(argmax, cached.tokens()[t], "token " + t);
            // the reported logprobs of the cached run equal the recomputed distribution
            TokenLogprob top = cached.topLogprobs().get(t).get(0);
            assertEquals(last[argmax], top.logprob(), 1e-4);
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = argmax;
        }
    }

    @Test
    void sameSeedSameSamplesAndOtherSeedsDiffer() {
        GenerationParams p = new GenerationParams(1.0, 1.0, 20, 0);
        Generated a = one(SHORT, p, 123);
        Generated b = one(SHORT, p, 123);
        assertArrayEquals(a.tokens(), b.tokens());
        long differing = java.util.stream.LongStream.range(1, 6)
                .filter(s -> !Arrays.equals(one(SHORT, p, 123 + s).tokens(), a.tokens())).count();
        assertTrue(differing >= 4, "a random model at temperature 1 rarely repeats a 20-token sample");
    }

    @Test
    void aPromptGeneratesTheSameAloneOrInAPaddedBatch() {
        GenerationParams p = new GenerationParams(0.8, 0.9, 10, 0);
        Generated shortAlone = one(SHORT, p, 5);
        Generated longAlone = one(LONG, p, 6);
        List<Generated> batch = model.generate(List.of(SHORT, LONG), p, new long[] {5, 6});
        assertArrayEquals(shortAlone.tokens(), batch.get(0).tokens());
        assertArrayEquals(longAlone.tokens(), batch.get(1).tokens());
    }

    @Test
    void stopsAtMaxTokensOrAStopToken() {
        Generated g = one(SHORT, new GenerationParams(1.0, 1.0, 5, 0), 1);
        assertTrue(g.tokens().length <= 5);
        if (g.tokens().length < 5) {
            assertEquals("stop", g.finishReason());
        } else {
            assertEquals("length", g.finishReason());
        }
        for (long t : g.tokens()) {
            assertNotEquals(TinyCheckpoint.IM_END, t, "the stop token is not part of the text");
        }
    }

    @Test
    void aSequenceLongerThanTheModelAllowsIsRefused() {
        InputException e = assertThrows(InputException.class, () -> one(LONG, new GenerationParams(0, 1, 200, 0), 0));
        assertTrue(e.getMessage().contains("longer than the model allows (128 positions)"), e.getMessage());
    }

    @Test
    void topPKeepsOnlyTheNucleus() {
        // log-probabilities, shifted by a constant as logits are: the choice must not depend on it
        float[] lp = {(float) Math.log(0.5) + 7, (float) Math.log(0.3) + 7, (float) Math.log(0.15) + 7,
                (float) Math.log(0.05) + 7};
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            int t = Sampler.choose(lp, 0, 4, 1.0, 0.75, r);
            assertTrue(t == 0 || t == 1, "0.5 + 0.3 >= 0.75: tokens 2 and 3 are outside the nucleus");
        }
        int[] counts = new int[4];
        for (int i = 0; i < 20000; i++) {
            counts[Sampler.choose(lp, 0, 4, 1.0, 1.0, r)]++;
        }
        assertEquals(0.15, counts[2] / 20000.0, 0.015);
    }

    @Test
    void temperatureSharpensTheRowItIsGiven() {
        // two rows of logits; the second is read: p = (0.5, 0.3, 0.15, 0.05), at T 0.5 p^2 normalised
        float[] rows = {9, 9, 9, 9, (float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15),
                (float) Math.log(0.05)};
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        int[] counts = new int[4];
        for (int i = 0; i < 40000; i++) {
            counts[Sampler.choose(rows, 4, 4, 0.5, 1.0, r)]++;
        }
        double z = 0.25 + 0.09 + 0.0225 + 0.0025;
        assertEquals(0.25 / z, counts[0] / 40000.0, 0.01);
        assertEquals(0.09 / z, counts[1] / 40000.0, 0.01);
        assertEquals(0, Sampler.choose(rows, 4, 4, 0, 1.0, r), "greedy takes the row's best token");
    }
}
