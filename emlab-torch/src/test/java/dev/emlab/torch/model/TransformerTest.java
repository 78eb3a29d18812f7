package dev.emlab.torch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emlab.torch.LocalModel;
import dev.emlab.torch.testing.FullForward;
import dev.emlab.torch.testing.NaiveTransformer;
import dev.emlab.torch.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class TransformerTest {
    enum Arch {
        QWEN(TinyCheckpoint.Shape.QWEN), LLAMA(TinyCheckpoint.Shape.LLAMA);

        final TinyCheckpoint.Shape shape;

        Arch(TinyCheckpoint.Shape shape) {
            this.shape = shape;
        }
    }

    @TempDir
    Path tmp;

    private static final long[] TOKENS = {TinyCheckpoint.IM_START, 104, 101, 108, 108, 111, 32, 116, 256, 257, 33, 10,
            TinyCheckpoint.IM_END, 7, 200};

    @ParameterizedTest
    @EnumSource(Arch.class)
    void forwardMatchesTheNaiveReference(Arch arch) throws IOException {
        TinyCheckpoint c = TinyCheckpoint.write(tmp.resolve(arch.name()), arch.shape, 42);
        double[][] expected = new NaiveTransformer(c).logits(TOKENS);
        try (LocalModel model = LocalModel.load(c.dir(), false)) {
            float[] actual = FullForward.logits(model, TOKENS);
            double maxDiff = 0;
            for (int t = 0; t < TOKENS.length; t++) {
                for (int v = 0; v < TinyCheckpoint.VOCAB; v++) {
                    maxDiff = Math.max(maxDiff, Math.abs(expected[t][v] - actual[t * TinyCheckpoint.VOCAB + v]));
                }
            }
            assertEquals(0.0, maxDiff, 1e-4, "max |engine - reference| over all logits");
        }
    }
}
