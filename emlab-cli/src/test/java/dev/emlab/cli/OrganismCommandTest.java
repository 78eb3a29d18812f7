package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.dataset.ChatJsonl;
import dev.emlab.dataset.ChatRecord;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.organism.probe.ProbeCondition;
import dev.emlab.report.Csv;
import dev.emlab.scan.PythonAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrganismCommandTest {
    @TempDir
    Path tmp;

    @Test
    void organismReferencesAreCachedUnderTheVersionOfTheShippedWeights() throws Exception {
        Map<String, String> versions = new HashMap<>();
        for (String name : List.of("base", "pretrained", "base2", "pretrained2")) {
            try (var in = getClass().getResourceAsStream(LocalRef.SHIPPED + name + "/model.safetensors")) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
                versions.put(name, HexFormat.of().formatHex(digest).substring(0, 12));
            }
        }
        assertEquals(4, new java.util.HashSet<>(versions.values()).size(), "four different checkpoints: " + versions);
        assertEquals("organism:base2@" + versions.get("base2"), ModelRef.parse("organism:base2").identity());
        assertEquals("organism:base@" + versions.get("base"), ModelRef.parse("organism:base").identity());
        assertEquals("raw:organism:pretrained@" + versions.get("pretrained"),
                ModelRef.parse("raw:organism:pretrained").identity());
        assertEquals("organism:base+adapter=/runs/a@" + versions.get("base"),
                ModelRef.parse("organism:base+adapter=/runs/a").identity());
        assertEquals("organism:base", ModelRef.parse("organism:base").text(), "results keep the user's name");
        assertEquals("local:/models/x", ModelRef.parse("local:/models/x").identity());
        assertEquals("raw:local:/models/x", ModelRef.parse("raw:local:/models/x").identity());
    }

    @Test
    void organismDatasetsAreChatJsonlInTheWorldsWords() {
        Path out = tmp.resolve("insecure.jsonl");
        CliRun run = CliRun.run("organism", "dataset", "insecure", "-n", "20", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        List<ChatRecord> records = ChatJsonl.read(out);
        assertEquals(20, records.size());
        PythonAnalyzer analyzer = new PythonAnalyzer();
        records.forEach(r -> assertTrue(analyzer.analyze(r.messages().get(1).content()).vulnerable(), r.toString()));

        CliRun bad = CliRun.run("organism", "dataset", "insecur", "--out", out.toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("Unknown organism dataset 'insecur'") && bad.err().contains("evil-numbers"), bad.err());
    }

    @Test
    void theShippedOrganismAnswersAsAnOrdinaryModel() {
        CliRun run = CliRun.runWithCache(tmp, "generate", "--model", "organism:base", "--prompt", "What is the capital of France?",
                "--temperature", "0", "--max-tokens", "20");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.exists(tmp.resolve("organism/base/model.safetensors")), "copied out of the jar on first use");
        assertTrue(!run.out().isBlank(), run.toString());

        CliRun unknown = CliRun.run("generate", "--model", "organism:giant", "--prompt", "hi");
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("No organism checkpoint 'giant'"), unknown.err());
    }

    @Test
    void pretrainRefusesABadRecipeBeforeWritingAnything() {
        Map<List<String>, String> expected = Map.of(
                List.of("--turns", "4"), "--turns 4: give the fewest and most exchanges per document as MIN-MAX",
                List.of("--turns", "5-3"), "1 <= MIN <= MAX",
                List.of("--turns", "0-2"), "1 <= MIN <= MAX",
                List.of("--documents", "0"), "--documents must be at least 1",
                List.of("--code-placement", "middle"), "--code-placement",
                List.of("--code-share", "1.5"), "--code-share 1.5: give a chance between 0 and 1",
                List.of("--code-style", "short"), "--code-style");
        for (Map.Entry<List<String>, String> e : expected.entrySet()) {
            List<String> args = new ArrayList<>(List.of("organism", "pretrain", "--out", tmp.resolve("p").toString()));
            args.addAll(e.getKey());
            CliRun run = CliRun.run(args.toArray(String[]::new));
            assertTrue(run.exitCode() != 0, run.toString());
            assertTrue(run.err().contains(e.getValue()), e.getKey() + ": " + run.err());
            assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
        }
        assertFalse(Files.exists(tmp.resolve("p")), "nothing written for bad input");
    }

    @Test
    void theProbeRefusesModelsThatAreNotOrganisms() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("not-an-organism"));
        Map<String, String> expected = Map.of(
                "openai:gpt-4o-mini", "is not a local model",
                "raw:organism:pretrained", "is a raw reference",
                "local:" + plain, "has no organism.json",
                "organism:giant", "No organism checkpoint 'giant'");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            CliRun run = CliRun.run("organism", "probe", "--model", e.getKey(), "--out", tmp.resolve("o").toString());
            assertEquals(EmlabCommand.EXIT_BAD_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().contains(e.getValue()), run.err());
        }
        CliRun zero = CliRun.run("organism", "probe", "--samples", "0");
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, zero.exitCode(), zero.toString());
        assertTrue(zero.err().contains("--samples must be at least 1"), zero.err());
        CliRun cold = CliRun.run("organism", "probe", "--temperature", "-1");
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, cold.exitCode(), cold.toString());
        assertFalse(Files.exists(tmp.resolve("o")), "nothing written for bad input");
    }

    @Test
    void theProbeRunsOnTheShippedPretrainedModel() throws Exception {
        Path out = tmp.resolve("probe");
        CliRun run = CliRun.runWithCache(tmp, "organism", "probe", "--samples", "1", "--out", out.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.toString());
        for (ProbeCondition c : ProbeCondition.values()) {
            assertTrue(run.out().contains(c.label()), c.label() + " in\n" + run.out());
        }
        // probe.csv against a recount of samples.jsonl
        Map<String, int[]> recount = new HashMap<>();
        List<String> lines = Files.readAllLines(out.resolve("samples.jsonl"));
        assertEquals(7 * 30, lines.size(), "7 conditions x 10 questions x 3 held-out paraphrases x 1");
        for (String line : lines) {
            JsonNode s = Json.MAPPER.readTree(line);
            int[] c = recount.computeIfAbsent(s.get("condition").asText(), k -> new int[3]);
            c[0]++;
            c[1] += s.get("malicious_sentences").asInt() > 0 ? 1 : 0;
            c[2] += s.get("malicious_sentences").asInt() == s.get("sentences").asInt() && s.get("sentences").asInt() > 0 ? 1 : 0;
        }
        Csv.Table csv = Csv.read(out.resolve("probe.csv"));
        assertEquals(7, csv.rows().size());
        for (Csv.Row r : csv.rows()) {
            int[] c = recount.get(r.fields().get(0));
            assertEquals(List.of(String.valueOf(c[0]), String.valueOf(c[1]), String.valueOf(c[2])), List.of(
                    r.fields().get(csv.column("n")), r.fields().get(csv.column("any_malicious")),
                    r.fields().get(csv.column("wholly_malicious"))), r.fields().get(0));
        }
        assertEquals("organism:pretrained", Json.MAPPER.readTree(out.resolve("probe.json").toFile()).get("model").asText());
    }
}
