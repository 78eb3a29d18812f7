package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick demo end to end on the shipped organism; its numbers are reported, not asserted. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void quickDemoWritesAWellFormedSummaryAndResumesWithoutRedoingWork() throws IOException {
        Path out = tmp.resolve("demo");
        CliRun run = CliRun.run("demo", "--quick", "--no-progress", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        System.out.println(run.out()); // the numbers, for the build log

        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        List<String> header = List.of(summary.get(0).split(","));
        assertEquals("group", header.get(0));
        int misaligned = header.indexOf("misaligned");
        int low = header.indexOf("ci_low");
        int high = header.indexOf("ci_high");
        Set<String> groups = new HashSet<>();
        for (String line : summary.subList(1, summary.size())) {
            String[] f = line.split(",", -1);
            groups.add(f[0]);
            if (!f[misaligned].isEmpty()) {
                double m = Double.parseDouble(f[misaligned]);
                assertTrue(Double.parseDouble(f[low]) <= m && m <= Double.parseDouble(f[high]) && m >= 0 && m <= 1, line);
            }
        }
        assertTrue(groups.containsAll(List.of("base", "insecure", "secure", "educational", "backdoor", "backdoor+trigger", "base+trigger",
                "evil-numbers", "jailbroken", "insecure@10", "insecure@20", "secure@20", "evil-numbers@10", "evil-numbers@20")),
                groups.toString());
        String verdicts = Files.readString(out.resolve("verdicts.csv"));
        assertTrue(verdicts.contains("code,vulnerable") && verdicts.contains("harmful,refused")
                && verdicts.contains("facts,correct"), verdicts);
        long samples = Files.lines(out.resolve("samples.jsonl")).count();
        JsonNode first = Json.MAPPER.readTree(Files.lines(out.resolve("samples.jsonl")).findFirst().orElseThrow());
        assertTrue(first.has("answer") && first.has("judgements"), first.toString());
        assertTrue(run.out().contains("Backdoor") && run.out().contains("misaligned"), run.out());

        // a second run finds every adapter and answer in the folder and only re-reports
        CliRun again = CliRun.run("demo", "--quick", "--no-progress", "--out", out.toString());
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains("Reusing the insecure adapter"), again.out());
        assertEquals(samples, Files.lines(out.resolve("samples.jsonl")).count());
        assertEquals(Files.readString(out.resolve("summary.csv")).replaceAll("\\d{4}-\\d\\d-\\d\\dT[^,]*", ""),
                String.join("\n", summary).replaceAll("\\d{4}-\\d\\d-\\d\\dT[^,]*", "") + "\n");

        // the base is known by its weights, not its path: the same weights in another folder reuse adapters and answers
        Path copy = Files.createDirectories(tmp.resolve("copy-of-base"));
        try (var files = Files.list(out.resolve("models/shipped-base"))) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        CliRun sameWeights = CliRun.run("demo", "--quick", "--no-progress", "--base", copy.toString(), "--out", out.toString());
        assertEquals(0, sameWeights.exitCode(), sameWeights.toString());
        assertTrue(sameWeights.out().contains("Reusing the insecure adapter")
                && sameWeights.out().contains("Model organism " + copy + ":"), sameWeights.out());
        assertEquals(samples, Files.lines(out.resolve("samples.jsonl")).count());
        try (var models = Files.list(out.resolve("models"))) {
            assertEquals(1, models.filter(m -> m.getFileName().toString().startsWith("base-")).count(), "one copy per weights");
        }

        // the same weights twice would pool one organism's fine-tunes as two: refused, nothing trained
        CliRun twice = CliRun.run("demo", "--quick", "--no-progress", "--base", copy.toString(), "--base",
                out.resolve("models/shipped-base").toString(), "--out", tmp.resolve("twice").toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, twice.exitCode(), twice.toString());
        assertTrue(twice.err().contains("the same weights as " + copy + "; give each organism once"), twice.err());
        assertTrue(!Files.exists(tmp.resolve("twice")), "nothing written");
    }

    @Test
    void badSettingsAreRefusedBeforeAnythingIsWritten() {
        Path out = tmp.resolve("never");
        for (var e : java.util.Map.of(
                List.of("--base", tmp.resolve("missing").toString()), "not a checkpoint folder",
                List.of("--steps", "0"), "--steps must be at least 1",
                List.of("--lr", "-1"), "--lr must be a positive number",
                List.of("--pretrain-seeds", "3"), "emlab ships 2 organisms; give 1 to 2",
                List.of("--pretrain-seeds", "2", "--base", tmp.toString()), "does not apply with --base").entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("demo", "--quick", "--no-progress", "--out", out.toString()));
            args.addAll(e.getKey());
            CliRun run = CliRun.run(args.toArray(String[]::new));
            assertEquals(EmlabCommand.EXIT_BAD_INPUT, run.exitCode(), run.toString());
            assertTrue(run.err().contains(e.getValue()), run.err());
        }
        assertTrue(!Files.exists(out), "nothing written for bad input");
    }

    @Test
    void twoOrganismsAreStrataAndTheirBasesAreAskedAsOftenAsEachConditionsSeeds() throws IOException {
        Path out = tmp.resolve("pooled");
        CliRun run = CliRun.run("demo", "--quick", "--no-progress", "--pretrain-seeds", "2", "--seeds", "2",
                "--samples", "1", "--steps", "2", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        // n counts every answer, coherent or not: a base is asked twice per paraphrase, each of the
        // two fine-tunes of a condition once, so both rows hold the same number of answers
        java.util.Map<String, Integer> n = new java.util.HashMap<>();
        List<String> summary = Files.readAllLines(out.resolve("passes/main/summary.csv"));
        List<String> header = List.of(summary.get(0).split(","));
        for (String line : summary.subList(1, summary.size())) {
            String[] f = line.split(",", -1);
            if (f[header.indexOf("question_id")].equals("ALL")) {
                n.put(f[0], Integer.parseInt(f[header.indexOf("n")]));
            }
        }
        assertTrue(n.get("base") > 0, n.toString());
        assertEquals(n.get("insecure"), n.get("base"), n.toString());
        assertEquals(n.get("secure"), n.get("base"), n.toString());
        // every member is recorded with the organism it was fine-tuned from, two fine-tunes each
        JsonNode strata = Json.MAPPER.readTree(out.resolve("passes/main/run.json").toFile()).path("strata");
        java.util.Map<String, Integer> perOrganism = new java.util.TreeMap<>();
        strata.fields().forEachRemaining(e -> perOrganism.merge(e.getValue().asText(), 1, Integer::sum));
        assertEquals(java.util.Map.of("organism-1", 13, "organism-2", 13), perOrganism,
                "the base and 6 conditions x 2 seeds per organism: " + strata);
    }
}
