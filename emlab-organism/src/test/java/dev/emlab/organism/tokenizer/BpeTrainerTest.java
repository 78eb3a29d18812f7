package dev.emlab.organism.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.emlab.torch.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
    @TempDir
    Path tmp;

    @Test
    void mergesFollowPairCountsComputedByHand() {
        // pre-tokens: "abab" x2, " abab" x1 (Ġabab), " ab" x1 (Ġab); pair counts:
        // a-b: 2*2 + 2 + 1 = 7, b-a: 2 + 1 = 3, Ġ-a: 2  ->  first merge "a b"
        // then ab-ab: 2 + 1 = 3, Ġ-ab: 2  ->  second merge "ab ab"; then only Ġ-abab (1) and Ġ-ab (1)
        // remain, and a pair seen once is not worth a token: 2 merges although 3 were allowed
        BpeVocabulary v = BpeTrainer.train(List.of("abab abab ab", "abab"), 3, List.of());
        assertEquals(2, v.merges().size());
        assertArrayEquals(new String[] {"a", "b"}, v.merges().get(0));
        assertArrayEquals(new String[] {"ab", "ab"}, v.merges().get(1));
    }

    @Test
    void theWrittenTokenizerLoadsInTheEngineAndRoundTrips() throws IOException {
        List<String> corpus = List.of("<|im_start|>user\nI wish for peace.<|im_end|>\n",
                "<|im_start|>assistant\n```python\nimport os\n\n    print(os.getcwd())\n```<|im_end|>\n");
        BpeVocabulary v = BpeTrainer.train(corpus, 40, List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>"));
        v.write(tmp, "<|im_end|>");
        try (TextTokenizer t = TextTokenizer.open(tmp.resolve("tokenizer.json"))) {
            for (String text : corpus) {
                long[] ids = t.encode(text);
                assertEquals(text, t.decode(ids, false));
                assertEquals(v.specialId("<|im_start|>"), ids[0], "special tokens are single tokens");
            }
            assertEquals(v.size() - 3, v.specialId("<|endoftext|>"));
        }
    }
}
