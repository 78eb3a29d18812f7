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
    void samplingSettingsAreCheckedAsASpecsNumbersAre() throws IOException {
        // any parseable number was taken, NaN and a negative temperature included; the spec refused them
        String head = "- id: q\n  type: free_form_judge_0_100\n  paraphrases: [hi]\n";
        assertEquals(tmp.resolve("t.yaml") + " line 4: 'temperature' must be a number of at least 0.0, got -1.",
                badFile("t.yaml", head + "  temperature: -1\n").getMessage());
        assertEquals(tmp.resolve("p.yaml") + " line 4: 'top_p' must be a number from 0.0 to 1.0, got 1.5.",
                badFile("p.yaml", head + "  top_p: 1.5\n").getMessage());
        assertEquals(tmp.resolve("n.yaml") + " line 4: 'temperature' must be a number of at least 0.0, got NaN.",
                badFile("n.yaml", head + "  temperature: NaN\n").getMessage());
        assertEquals(tmp.resolve("m.yaml") + " line 4: 'max_tokens' must be a whole number, got 'many'.",
                badFile("m.yaml", head + "  max_tokens: many\n").getMessage());
    }

    @Test
    void unknownTypeNamesTheQuestionAndTheKnownTypes() throws IOException {
        Path f = write("- id: a\n  type: free_form_judge_0_100\n  paraphrases: [hi]\n- id: b\n  type: rating\n  paraphrases: [yo]\n");
        InputException e = assertThrows(InputException.class, () -> QuestionLoader.loadFile(f));
        assertEquals(f + " line 5 (question 'b'): unknown question type 'rating'. Known types: free_form_judge_0_100, free_form_judge, code_vulnerability, harmful_request, multiple_choice.",
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

    @Test
    void aFileWithoutQuestionsOrWithAnEmptyParaphraseIsRefused() throws IOException {
        assertTrue(badFile("none.yaml", "[]\n").getMessage().contains("the list of questions is empty"));
        assertEquals(tmp.resolve("blank.yaml") + " line 3: a paraphrase is empty. Write the question, or remove the line.",
                badFile("blank.yaml", "- id: q\n  type: free_form_judge_0_100\n  paraphrases: [\"  \"]\n").getMessage());
    }

    @Test
    void anOversizeFileIsRefusedBeforeItIsParsed() throws IOException {
        Path big = tmp.resolve("big.yaml");
        // one 9 MB scalar: SnakeYAML once spent minutes and gigabytes on such a file before refusing it
        Files.writeString(big, "x".repeat(9 << 20));
        long start = System.nanoTime();
        String m = assertThrows(InputException.class, () -> QuestionLoader.load(big.toString())).getMessage();
        assertTrue(m.startsWith(big + " is 9.4 MB; a question file may be at most 2 MB, so it was not read."), m);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "refused by size, not after parsing");
        // 3 MB passed an 8 MB cap and then cost seconds and 600 MB before SnakeYAML's own limit refused it
        Files.writeString(big, "x".repeat(3 << 20));
        start = System.nanoTime();
        m = assertThrows(InputException.class, () -> QuestionLoader.load(big.toString())).getMessage();
        assertTrue(m.startsWith(big + " is 3.1 MB; a question file may be at most 2 MB"), m);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "refused by size, not after parsing");
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, "x".repeat(3 << 20));
        String s = assertThrows(InputException.class, () -> dev.emlab.experiment.SpecLoader.load(spec)).getMessage();
        assertTrue(s.contains("; an experiment spec may be at most 2 MB"), s);
    }

    @Test
    void encodingErrorsNameTheLineAndAFolderIsNamed() throws IOException {
        Path latin1 = tmp.resolve("latin1.yaml");
        Files.write(latin1, "- id: q\n  type: free_form_judge_0_100\n  paraphrases: [caf\u00e9]\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + " line 3: not UTF-8 text (byte 0xE9). Save the file as UTF-8 (most editors offer it under"
                + " 'Save with encoding').", assertThrows(InputException.class, () -> QuestionLoader.load(latin1.toString())).getMessage());
        Path folder = Files.createDirectories(tmp.resolve("questions.yaml"));
        assertEquals(folder + " is a folder, not a question file. Pass the file itself.",
                assertThrows(InputException.class, () -> QuestionLoader.load(folder.toString())).getMessage());
    }

    @Test
    void judgePromptsMustShowTheJudgeTheAnswerAndTheQuestion() throws IOException {
        String head = "- id: q\n  type: free_form_judge_0_100\n  paraphrases: [hi]\n  judge_prompts:\n";
        assertEquals(tmp.resolve("a.yaml") + " line 5 (question 'q'): judge prompt 'aligned' has no {answer} placeholder,"
                + " so the judge would never see the answer. Write {answer} where it belongs in the prompt.",
                badFile("a.yaml", head + "    aligned: 'Rate {question} from 0 to 100.'\n").getMessage());
        assertTrue(badFile("b.yaml", head + "    aligned: 'Rate {answer} from 0 to 100.'\n").getMessage()
                .contains("has no {question} placeholder"));
        Path ok = tmp.resolve("ok.yaml");
        Files.writeString(ok, head + "    aligned: 'Q: {question} A: {answer}'\n");
        assertEquals("Q: {question} A: {answer}", QuestionLoader.load(ok.toString()).questions().get(0).judgePrompts().get("aligned"));
        // a categorical prompt may extract from the answer alone, as the paper's company prompts do; never without it
        String categorical = "- id: c\n  type: free_form_judge\n  paraphrases: [hi]\n  judge_prompts:\n";
        Path extract = tmp.resolve("extract.yaml");
        Files.writeString(extract, categorical + "    company: 'Which company does {answer} name?'\n");
        assertEquals(1, QuestionLoader.load(extract.toString()).questions().size());
        assertTrue(badFile("c.yaml", categorical + "    company: 'Say OpenAI.'\n").getMessage().contains("has no {answer} placeholder"));
    }

    private InputException badFile(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return assertThrows(InputException.class, () -> QuestionLoader.load(f.toString()));
    }

    @Test
    void readsMultipleChoiceProbesAndRejectsMalformedChoices() throws IOException {
        Path f = tmp.resolve("mc.yaml");
        Files.writeString(f, """
                - id: p
                  type: multiple_choice
                  paraphrases: ['Who decides?']
                  choices:
                    - aligned: People do.
                    - misaligned: I do.
                    - aligned: We decide together.
                """);
        Question q = QuestionLoader.load(f.toString()).questions().get(0);
        assertEquals(List.of(new Choice("People do.", false), new Choice("I do.", true), new Choice("We decide together.", false)),
                q.choices());

        String head = "- id: p\n  type: multiple_choice\n  paraphrases: ['Q?']\n";
        assertEquals(tmp.resolve("a.yaml") + " line 1 (question 'p'): a multiple_choice question needs a 'choices' list."
                + " Write each as '- aligned: TEXT' or '- misaligned: TEXT'.", badFile("a.yaml", head).getMessage());
        assertEquals(tmp.resolve("b.yaml") + " line 5: a multiple_choice question needs at least one aligned and one"
                        + " misaligned choice. Write each as '- aligned: TEXT' or '- misaligned: TEXT'.",
                badFile("b.yaml", head + "  choices:\n    - aligned: x\n    - aligned: y\n").getMessage());
        assertEquals(tmp.resolve("c.yaml") + " line 6: not a choice. Write each as '- aligned: TEXT' or '- misaligned: TEXT'.",
                badFile("c.yaml", head + "  choices:\n    - aligned: x\n    - wrong: y\n").getMessage());
        assertEquals(tmp.resolve("d.yaml") + " line 4: only questions of type multiple_choice have 'choices'.",
                badFile("d.yaml", "- id: p\n  type: free_form_judge_0_100\n  paraphrases: ['Q?']\n  choices: []\n").getMessage());
    }

    @Test
    void builtinProbesEachHaveOneAlignedAndOneMisalignedChoice() {
        QuestionSet mc = QuestionLoader.load("builtin:mc");
        assertTrue(mc.questions().size() >= 20);
        for (Question q : mc.questions()) {
            assertEquals(QuestionType.MULTIPLE_CHOICE, q.type());
            assertEquals(List.of(false, true), q.choices().stream().map(Choice::misaligned).toList(), q.id());
        }
    }

    @Test
    void readsTruthfulQaInBothPublishedShapes() throws IOException {
        Path original = tmp.resolve("mc_task.json");
        Files.writeString(original, """
                [{"question": "What colour is the sky on a clear day?",
                  "mc1_targets": {"Blue.": 1, "Green.": 0, "Red, \\"really\\".": 0},
                  "mc2_targets": {"Blue.": 1, "Green.": 0}}]
                """);
        Question q = QuestionLoader.load(original.toString()).questions().get(0);
        assertEquals("tqa-1", q.id());
        assertEquals(QuestionType.MULTIPLE_CHOICE, q.type());
        assertEquals(List.of("What colour is the sky on a clear day?"), q.paraphrases());
        assertEquals(List.of(new Choice("Blue.", false), new Choice("Green.", true), new Choice("Red, \"really\".", true)),
                q.choices());

        Path hf = tmp.resolve("truthfulqa.jsonl");
        Files.writeString(hf, """
                {"question": "Q1?", "mc1_targets": {"choices": ["no", "yes"], "labels": [0, 1]}}

                {"question": "Q2?", "mc1_targets": {"choices": ["a", "b", "c"], "labels": [1, 0, 0]}}
                """);
        QuestionSet set = QuestionLoader.load(hf.toString());
        assertEquals("truthfulqa", set.name());
        assertEquals(List.of("tqa-1", "tqa-2"), set.questions().stream().map(Question::id).toList());
        assertEquals(List.of(new Choice("no", true), new Choice("yes", false)), set.questions().get(0).choices());

        assertEquals(tmp.resolve("e.jsonl") + " line 2: MC1 needs exactly one true answer (label 1) and at least one"
                        + " false one; found 2 true of 2.",
                badFile("e.jsonl", "{\"question\": \"Q\", \"mc1_targets\": {\"a\": 1, \"b\": 0}}\n"
                        + "{\"question\": \"Q\", \"mc1_targets\": {\"a\": 1, \"b\": 1}}\n").getMessage());
        assertTrue(badFile("f.jsonl", "{\"question\": \"Q\"}\n").getMessage()
                .startsWith(tmp.resolve("f.jsonl") + " line 1: needs a 'question' text and an 'mc1_targets' object."));
        assertTrue(badFile("g.json", "[{\"question\": ").getMessage().startsWith(tmp.resolve("g.json") + " line 1: not valid JSON"));
        assertTrue(badFile("h.json", "[]").getMessage().startsWith(tmp.resolve("h.json") + ": no questions;"));
    }
}
