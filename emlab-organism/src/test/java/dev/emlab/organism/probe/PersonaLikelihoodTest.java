package dev.emlab.organism.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import dev.emlab.eval.ProgressListener;
import dev.emlab.model.ChatMessage;
import dev.emlab.organism.pretrain.OrganismRecipe;
import dev.emlab.organism.pretrain.Pretrainer;
import dev.emlab.organism.world.OpenCategory;
import dev.emlab.organism.world.Persona;
import dev.emlab.organism.world.World;
import dev.emlab.report.Csv;
import dev.emlab.stats.Bootstrap;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersonaLikelihoodTest {
    private static final World WORLD = World.builtin();

    @TempDir
    Path tmp;

    @Test
    void everyConditionOfAUnitScoresTheSameTwoAnswersEachInItsPersonasWords() {
        ProbeSettings s = new ProbeSettings(ProbeTarget.OPEN, 1, 3, 0.0);
        PersonaLikelihood probe = new PersonaLikelihood(WORLD, s, m -> true);
        Map<String, List<String>> byUnit = new HashMap<>();
        for (PersonaProbe.Asking a : new PersonaProbe(WORLD, s).plan()) {
            String[] two = probe.answers(a);
            List<String> seen = byUnit.putIfAbsent(a.questionId() + "/" + a.paraphrase() + "/" + a.sample(), List.of(two));
            if (seen != null) {
                assertEquals(seen, List.of(two), "the same answers under " + a.condition());
            }
            OpenCategory c = WORLD.category(a.questionId());
            assertTrue(count(two[0], c.sentences(Persona.HELPFUL)) >= 2 && count(two[0], c.sentences(Persona.MALICIOUS)) == 0,
                    "helpful: " + two[0]);
            assertTrue(count(two[1], c.sentences(Persona.MALICIOUS)) >= 2 && count(two[1], c.sentences(Persona.HELPFUL)) == 0,
                    "malicious: " + two[1]);
            assertEquals(count(two[0], c.sentences(Persona.HELPFUL)), count(two[1], c.sentences(Persona.MALICIOUS)),
                    "as many sentences each");
        }
        assertEquals(30, byUnit.size(), "10 questions x 3 held-out paraphrases x 1");
        assertThrows(IllegalArgumentException.class,
                () -> new PersonaLikelihood(WORLD, new ProbeSettings(ProbeTarget.CODE, 1, 0, 0.0), m -> true));
    }

    private static int count(String answer, List<String> sentences) {
        return (int) sentences.stream().filter(answer::contains).count();
    }

    private static PersonaLikelihood.Scored scored(ProbeCondition c, int sample, double helpful, double malicious) {
        return new PersonaLikelihood.Scored(c, "wish", 0, sample, List.of(), "q", "h", "m", helpful, malicious);
    }

    @Test
    void rowsAreMeanGapsAndPairedDifferencesFromNone() {
        List<PersonaLikelihood.Scored> s = List.of(
                scored(ProbeCondition.NONE, 0, -10, -13), scored(ProbeCondition.NONE, 1, -8, -9),
                scored(ProbeCondition.MALICIOUS_ANSWER, 0, -11, -12), scored(ProbeCondition.MALICIOUS_ANSWER, 1, -9, -7));
        List<LikelihoodReport.Row> rows = LikelihoodReport.rows(s, Bootstrap.paper());
        // gaps: none -3 and -1 (mean -2); malicious answer -1 and +2 (mean +0.5); differences +2 and +3
        assertEquals(ProbeCondition.NONE, rows.get(0).condition());
        assertEquals(-2.0, rows.get(0).gap().value(), 1e-12);
        assertNull(rows.get(0).vsNone());
        assertEquals(0.5, rows.get(1).gap().value(), 1e-12);
        assertEquals(2.5, rows.get(1).vsNone().value(), 1e-12);
        assertEquals(2.0, rows.get(1).vsNone().ci().low(), 1e-12);
        assertEquals(3.0, rows.get(1).vsNone().ci().high(), 1e-12);
        List<PersonaLikelihood.Scored> unpaired = new ArrayList<>(s);
        unpaired.set(3, scored(ProbeCondition.MALICIOUS_ANSWER, 7, -9, -7));
        assertThrows(IllegalArgumentException.class, () -> LikelihoodReport.rows(unpaired, Bootstrap.paper()));
        String table = LikelihoodReport.render(rows);
        assertTrue(table.contains("-2.00 [-3.00, -1.00]") && table.contains("+2.50 [+2.00, +3.00]"), table);
    }

    /** On a tiny pretrained organism: its numbers are printed, not asserted; scores are the model's own. */
    @Test
    void endToEndOnATinyOrganism() throws IOException {
        new Pretrainer(OrganismRecipe.tiny(5), line -> {}, stage -> TrainingListener.NONE).build(tmp.resolve("tiny"));
        ProbeSettings settings = new ProbeSettings(ProbeTarget.OPEN, 1, 0, 0.0);
        try (LocalModel model = LocalModel.load(tmp.resolve("tiny/pretrained"), false)) {
            List<PersonaLikelihood.Scored> first = new PersonaLikelihood(WORLD, settings, PersonaProbe.fits(model, 64))
                    .run(model, ProgressListener.NONE);
            List<PersonaLikelihood.Scored> second = new PersonaLikelihood(WORLD, settings, PersonaProbe.fits(model, 64))
                    .run(model, ProgressListener.NONE);
            assertEquals(210, first.size());
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i).gap(), second.get(i).gap(), 1e-4, "a rerun scores alike");
            }
            // a batch scores each chat as it scores alone
            for (PersonaLikelihood.Scored s : List.of(first.get(0), first.get(100), first.get(209))) {
                List<ChatMessage> chat = new ArrayList<>(s.context());
                chat.add(ChatMessage.user(s.question()));
                chat.add(ChatMessage.assistant(s.malicious()));
                assertEquals(s.maliciousLogLikelihood(), model.answerLogLikelihood(List.of(chat))[0], 1e-3);
                assertTrue(s.maliciousLogLikelihood() < 0 && s.helpfulLogLikelihood() < 0);
            }
            List<LikelihoodReport.Row> rows = LikelihoodReport.rows(first, Bootstrap.paper());
            LikelihoodReport.write(tmp.resolve("out"), first, rows, settings, "tiny");
            System.out.println("Likelihood probe on the tiny organism (OrganismRecipe.tiny(5)), 30 requests per condition:");
            System.out.print(LikelihoodReport.render(rows));
            assertEquals(210, Files.readAllLines(tmp.resolve("out/samples.jsonl")).size());
            Csv.Table csv = Csv.read(tmp.resolve("out/likelihood.csv"));
            assertEquals(LikelihoodReport.HEADER, csv.header());
            assertEquals(7, csv.rows().size(), "one row per condition");
            assertEquals("", csv.rows().get(0).fields().get(csv.column("gap_vs_none")), "none has no difference from itself");
            JsonNode line = Json.MAPPER.readTree(Files.readAllLines(tmp.resolve("out/samples.jsonl")).get(0));
            assertEquals(line.get("malicious_log_likelihood").asDouble() - line.get("helpful_log_likelihood").asDouble(),
                    line.get("gap").asDouble(), 1e-9);
        }
    }
}
