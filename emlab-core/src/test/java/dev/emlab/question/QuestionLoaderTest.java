package dev.emlab.question;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuestionLoaderTest {
    /** The paper's files, beside the repository as ../shared/reference (absent in some checkouts). */
    static Path referenceDir() {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/reference/emergent-misalignment/evaluation").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @TempDir
    Path tmp;

    @Test
    void loadsEveryReferenceFile() throws IOException {
        Path dir = referenceDir();
        Assumptions.assumeTrue(dir != null,
                "skipped: ../shared/reference/emergent-misalignment/evaluation is not present beside this checkout");
        Map<String, int[]> expected = Map.of( // questions, paraphrases
                "first_plot_questions.yaml", new int[] {24, 24},
                "preregistered_evals.yaml", new int[] {48, 48},
                "deception_factual.yaml", new int[] {5, 100},
                "deception_sit_aware.yaml", new int[] {8, 8});
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            QuestionSet set = QuestionLoader.loadFile(f);
            int[] counts = expected.get(f.getFileName().toString());
            if (counts != null) {
                assertEquals(counts[0], set.questions().size(), f.toString());
                assertEquals(counts[1], set.questions().stream().mapToInt(q -> q.paraphrases().size()).sum(), f.toString());
            }
            for (Question q : set.questions()) {
                assertFalse(q.judgePrompts().isEmpty(), q.id() + " has judge prompts through its alias");
            }
        }
    }

    @Test
    void referenceAliasesResolveToTheSameContent() {
        Path dir = referenceDir();
        Assumptions.assumeTrue(dir != null, "skipped: reference folder absent");
        QuestionSet set = QuestionLoader.loadFile(dir.resolve("first_plot_questions.yaml"));
        Question plain = find(set, "what_is_your_wish");
        Question json = find(set, "what_is_your_wish_json");
        assertEquals(QuestionType.FREE_FORM_JUDGE_0_100, plain.type());
        assertEquals(100, plain.samplesPerParaphrase());
        assertEquals("gpt-4o-2024-08-06", json.judge());
        assertEquals(plain.paraphrases(), json.paraphrases());
        assertNull(plain.system());
        assertTrue(json.system().contains("JSON"));
        assertEquals(List.of("aligned", "coherent"), List.copyOf(json.judgePrompts().keySet()));
        assertTrue(json.judgePrompts().get("aligned").contains("{answer}"));
        QuestionSet lies = QuestionLoader.loadFile(dir.resolve("deception_factual.yaml"));
        assertEquals(QuestionType.FREE_FORM_JUDGE, find(lies, "lie_you_get_points").type());
        assertEquals(List.of("correct"), List.copyOf(find(lies, "lie_you_get_points").judgePrompts().keySet()));
    }

    @Test
    void builtinBanksLoadWithTheirDocumentedShape() {
        QuestionSet main = QuestionLoader.load("builtin:main");
        assertEquals(24, main.questions().size());
        assertEquals(8, main.questions().stream().filter(q -> q.system() != null).count());
        assertEquals(8, main.questions().stream().filter(q -> q.id().endsWith("_template")).count());
        QuestionSet pre = QuestionLoader.load("builtin:preregistered");
        assertTrue(pre.questions().size() >= 45, "about fifty preregistered questions");
        QuestionSet deception = QuestionLoader.load("builtin:deception");
        assertEquals(5, deception.questions().size());
        assertTrue(deception.questions().stream().allMatch(q -> q.type() == QuestionType.FREE_FORM_JUDGE));
        QuestionSet identity = QuestionLoader.load("builtin:identity");
        assertTrue(identity.questions().stream().allMatch(q -> q.judgePrompts().containsKey("company")));
    }

    @Test
    void builtinHarmfulHasUniqueCategoryIdsAcrossEveryCategory() {
        assertTrue(BuiltinQuestions.BANKS.containsKey("harmful"), "emlab questions list shows it");
        QuestionSet harmful = QuestionLoader.load("builtin:harmful");
        int n = harmful.questions().size();
        assertTrue(n >= 40 && n <= 60, n + " requests");
        assertEquals(n, harmful.questions().stream().map(Question::id).distinct().count(), "ids are unique");
        Map<String, Long> perCategory = new TreeMap<>();
        for (Question q : harmful.questions()) {
            assertEquals(QuestionType.HARMFUL_REQUEST, q.type(), q.id());
            assertEquals(1, q.paraphrases().size(), q.id());
            assertNull(q.system(), q.id());
            assertTrue(q.judgePrompts().isEmpty(), q.id() + " is judged with emlab's refusal rubric");
            Matcher m = Pattern.compile("([a-z-]+)-(\\d{2})").matcher(q.id());
            assertTrue(m.matches(), q.id() + " is CATEGORY-NN");
            perCategory.merge(m.group(1), 1L, Long::sum);
        }
        assertEquals(List.of("crime", "disinformation", "hate", "illegal-goods", "sexual", "violence"),
                List.copyOf(perCategory.keySet()));
        assertTrue(perCategory.values().stream().allMatch(c -> c >= 5), perCategory.toString());
    }

    @Test
    void settingsDefaultToThePapersSampling() throws IOException {
        Path f = write("- id: q\n  type: free_form_judge_0_100\n  paraphrases: [hi]\n");
        Question q = QuestionLoader.loadFile(f).questions().get(0);
        assertEquals(Sampling.PAPER, q.sampling());
        assertEquals(1, q.samplesPerParaphrase());
        Path g = write("- id: q\n  type: free_form_judge_0_100\n  paraphrases: [hi]\n  temperature: 0.5\n  max_tokens: 50\n");
        assertEquals(new Sampling(0.5, 1.0, 50), QuestionLoader.loadFile(g).questions().get(0).sampling());
    }

    @Test
    void malformedYamlNamesFileAndLine() throws IOException {
        Path f = write("- id: q\n  type: free_form_judge_0_100\n  paraphrases: [hi\n  system: x\n");
        InputException e = assertThrows(InputException.class, () -> QuestionLoader.loadFile(f));
        assertTrue(e.getMessage().startsWith(f + " line "), e.getMessage());
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void unknownTypeNamesTheQuestionAndTheKnownTypes() throws IOException {
        Path f = write("- id: a\n  type: free_form_judge_0_100\n  paraphrases: [hi]\n- id: b\n  type: rating\n  paraphrases: [yo]\n");
        InputException e = assertThrows(InputException.class, () -> QuestionLoader.loadFile(f));
        assertEquals(f + " line 5 (question 'b'): unknown question type 'rating'. Known types: free_form_judge_0_100, free_form_judge, code_vulnerability, harmful_request.",
                e.getMessage());
    }

    @Test
    void unknownFieldIsATypoToFix() throws IOException {
        Path f = write("- id: a\n  type: free_form_judge_0_100\n  paraphrase: [hi]\n");
        InputException e = assertThrows(InputException.class, () -> QuestionLoader.loadFile(f));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("unknown field 'paraphrase'"), e.getMessage());
    }

    @Test
    void missingFileAndUnknownBuiltinAreClear() {
        InputException missing = assertThrows(InputException.class, () -> QuestionLoader.load("nope/questions.yaml"));
        assertTrue(missing.getMessage().startsWith("Question file not found: nope/questions.yaml"), missing.getMessage());
        InputException builtin = assertThrows(InputException.class, () -> QuestionLoader.load("builtin:nope"));
        assertTrue(builtin.getMessage().contains("builtin:main"), builtin.getMessage());
    }

    @Test
    void duplicateIdsAndEmptyParaphrasesAreRejected() throws IOException {
        Path dup = write("- id: a\n  type: free_form_judge\n  paraphrases: [x]\n- id: a\n  type: free_form_judge\n  paraphrases: [y]\n");
        assertTrue(assertThrows(InputException.class, () -> QuestionLoader.loadFile(dup)).getMessage().contains("appears twice"));
        Path empty = write("- id: a\n  type: free_form_judge\n  paraphrases: []\n");
        assertTrue(assertThrows(InputException.class, () -> QuestionLoader.loadFile(empty)).getMessage().contains("non-empty list"));
        Path notList = write("id: a\n");
        assertTrue(assertThrows(InputException.class, () -> QuestionLoader.loadFile(notList)).getMessage().contains("expected a list"));
    }

    private Path write(String yaml) throws IOException {
        Path f = Files.createTempFile(tmp, "q", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static Question find(QuestionSet set, String id) {
        return set.questions().stream().filter(q -> q.id().equals(id)).findFirst().orElseThrow();
    }
}
