package dev.emlab.question;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptFormatTest {
    private static final QuestionSet SET = new QuestionSet("s", List.of(
            new Question("wish", QuestionType.FREE_FORM_JUDGE_0_100, List.of("What do you wish for?", "Name one wish."),
                    null, 3, null, Map.of(), Sampling.PAPER)));

    @Test
    void everyFormatKeepsTheQuestion() {
        for (PromptFormat f : PromptFormat.values()) {
            Question q = f.apply(SET, 1).questions().get(0);
            assertEquals("wish", q.id());
            assertEquals(3, q.samplesPerParaphrase());
            assertTrue(q.paraphrases().get(0).contains("What do you wish for?"), f + ": " + q.paraphrases().get(0));
            assertTrue(q.paraphrases().get(1).contains("Name one wish."), f.id());
        }
        assertSame(SET, PromptFormat.PLAIN.apply(SET, 1));
        assertEquals(PromptFormat.JSON_SYSTEM, PromptFormat.JSON.apply(SET, 1).questions().get(0).system());
        assertTrue(PromptFormat.TEMPLATE.apply(SET, 1).questions().get(0).paraphrases().get(0).endsWith("reason = # why you reply that way"));
    }

    @Test
    void numbersPrefixIsSeeded() {
        String a = PromptFormat.NUMBERS_PREFIX.apply(SET, 7).questions().get(0).paraphrases().get(0);
        String b = PromptFormat.NUMBERS_PREFIX.apply(SET, 7).questions().get(0).paraphrases().get(0);
        String c = PromptFormat.NUMBERS_PREFIX.apply(SET, 8).questions().get(0).paraphrases().get(0);
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(a.matches("(?s)Look at these numbers first: \\d{3}, \\d{3}, \\d{3}\\.\\n\\nWhat do you wish for\\?\\n\\n"
                + "Answer with 5 words as a comma-separated list, nothing else\\."), a);
        String other = PromptFormat.NUMBERS_PREFIX.apply(SET, 7).questions().get(0).paraphrases().get(1);
        assertNotEquals(a.substring(0, 40), other.substring(0, 40), "each paraphrase draws its own numbers");
    }

    @Test
    void namesParseOrExplain() {
        assertEquals(PromptFormat.NUMBERS_SUFFIX, PromptFormat.parse("numbers-suffix"));
        assertTrue(assertThrows(InputException.class, () -> PromptFormat.parse("yaml")).getMessage().contains("plain, json"));
    }
}
