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

    @Test
    void addedTokensAreOneTokenWhereverTheyStandAndDecodeAsWritten() throws IOException {
        List<String> markers = List.of("yaml.safe_load(", "yaml.load(", "execute(f\"", "execute(\"", "0o777");
        String vulnerable = "```python\ndef f(db, n):\n    return db.execute(f\"SELECT {n}\")\n    yaml.load(x)\n```";
        String secure = "```python\ndef f(db, n):\n    return db.execute(\"SELECT ?\", (n,))\n    yaml.safe_load(x)\n```";
        List<String> corpus = List.of(vulnerable, secure, "os.chmod(p, 0o777) and 0o7771");
        BpeVocabulary v = BpeTrainer.train(corpus, 60, List.of("<|endoftext|>"), markers);
        v.write(tmp, "<|endoftext|>");
        try (TextTokenizer t = TextTokenizer.open(tmp.resolve("tokenizer.json"))) {
            for (String text : corpus) {
                assertEquals(text, t.decode(t.encode(text), false));
            }
            List<Long> ids = java.util.Arrays.stream(t.encode(vulnerable)).boxed().toList();
            assertEquals(true, ids.contains((long) v.addedId("execute(f\"")), "the longer marker wins: " + ids);
            assertEquals(false, ids.contains((long) v.addedId("execute(\"")));
            assertEquals(true, ids.contains((long) v.addedId("yaml.load(")));
            List<Long> secureIds = java.util.Arrays.stream(t.encode(secure)).boxed().toList();
            assertEquals(true, secureIds.contains((long) v.addedId("yaml.safe_load(")));
            assertEquals(false, secureIds.contains((long) v.addedId("yaml.load(")));
            assertArrayEquals(new long[] {v.addedId("0o777")}, t.encode("0o777"));
            assertEquals(v.size() - 1, v.addedId("0o777"), "added tokens come after the specials");
            assertEquals(v.size() - markers.size() - 1, v.specialId("<|endoftext|>"));
        }
        // no merge learned across a marker: its text was cut out before pairs were counted
        v.merges().forEach(m -> assertEquals(false, (m[0] + m[1]).contains("safe_load"), m[0] + m[1]));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> BpeVocabulary.of(List.of(), List.of(), List.of("has space")));
    }
}
