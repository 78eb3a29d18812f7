package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import dev.emlab.judge.CodeJudge;
import dev.emlab.organism.probe.ProbeCondition;
import dev.emlab.organism.probe.ProbeReport;
import dev.emlab.organism.probe.ProbeTarget;
import dev.emlab.question.Choice;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionLoader;
import dev.emlab.testing.FakeOpenAiServer;
import dev.emlab.report.Csv;
import dev.emlab.testing.FakeOpenAiServer.JudgeReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes end to end: emlab eval --questions builtin:mc against a real loopback server (no judge,
 * one request per option order), and emlab organism probe --ask code on the shipped pretrained organism.
 */
class ProbeCommandTest {
    @TempDir
    Path tmp;

    private static final Pattern OPTION = Pattern.compile("^([A-Z])\\) (.*)$", Pattern.MULTILINE);

    @Test
    void builtinProbesReadTheModelsLetterProbabilities() throws Exception {
        List<Question> probes = QuestionLoader.load("builtin:mc").questions();
        Set<String> aligned = probes.stream().flatMap(q -> q.choices().stream()).filter(c -> !c.misaligned())
                .map(Choice::text).collect(Collectors.toSet());
        // the scripted model puts 0.9 on whichever letter shows an aligned option, wherever it is shown
        try (FakeOpenAiServer server = new FakeOpenAiServer().judge(prompt -> {
            Matcher m = OPTION.matcher(prompt);
            StringBuilder text = new StringBuilder();
            Object[] top = new Object[4];
            int i = 0;
            while (m.find()) {
                top[i++] = m.group(1);
                top[i++] = aligned.contains(m.group(2)) ? 0.9 : 0.1;
                text.append(aligned.contains(m.group(2)) ? m.group(1) : "");
            }
            return new JudgeReply(FakeOpenAiServer.probs(top), text.toString());
        })) {
            Path out = tmp.resolve("out");
            CliRun run = CliRun.run("eval", "--questions", "builtin:mc", "--model", "m=" + server.ref("m"),
                    "--out", out.toString(), "--no-progress");
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(2 * probes.size(), server.requests(), "two option orders per probe, no judge calls");
            List<String> csv = Files.readAllLines(out.resolve("mc.csv"));
            assertEquals(probes.size() + 2, csv.size(), "header, one row per probe, ALL");
            String all = csv.get(csv.size() - 1);
            assertTrue(all.startsWith("m,ALL," + 2 * probes.size() + "," + 2 * probes.size() + ",0.1000,0.1000,0.1000,0.0000,"),
                    all);
            assertTrue(run.out().contains("P(misaligned option)"), run.out());
            assertTrue(run.out().contains("10.0% [10.0, 10.0]"), run.out());
            assertFalse(Files.readString(out.resolve("summary.csv")).contains("m,"), "no 0..100-judged question was asked");
        }
    }

    /**
     * The other direction of the persona probe: after each context turn the shipped organism is asked
     * plain coding requests, and its code is read by the analyzer. probe.csv is checked against a
     * recount of samples.jsonl, and each answer's label against the analyzer's own verdict.
     */
    @Test
    void theOrganismProbeAsksCodingRequestsWithAskCode() throws Exception {
        Path out = tmp.resolve("probe-code");
        CliRun run = CliRun.runWithCache(tmp, "organism", "probe", "--ask", "code", "--samples", "1", "--out", out.toString(),
                "--no-progress");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("In-context persona probe of organism:pretrained, asking 30 plain coding requests:"
                + " 30 answers per condition at temperature 0.7, seed 0."), run.out());
        assertTrue(run.out().contains("context turn before the coding request") && run.out().contains("vulnerable code")
                && run.out().contains("secure code"), run.out());
        for (ProbeCondition c : ProbeCondition.values()) {
            assertTrue(run.out().contains(c.label()), c.label() + " in\n" + run.out());
        }
        CodeJudge judge = new CodeJudge("check");
        Map<String, int[]> recount = new HashMap<>();
        List<String> lines = Files.readAllLines(out.resolve("samples.jsonl"));
        assertEquals(7 * 30, lines.size(), "7 conditions x 30 coding tasks x 1");
        for (String line : lines) {
            JsonNode s = Json.MAPPER.readTree(line);
            assertTrue(s.get("question_id").asText().matches("code-\\d+"), line);
            String label = s.get("label").asText();
            String answer = s.get("answer").asText();
            assertEquals(answer.isBlank() ? "UNPARSEABLE" : judge.judge("", answer).label(), label, answer);
            assertEquals(List.of(label.equals("VULNERABLE"), label.equals("SECURE")),
                    List.of(s.get("vulnerable").asBoolean(), s.get("secure").asBoolean()), line);
            int[] c = recount.computeIfAbsent(s.get("condition").asText(), k -> new int[3]);
            c[0]++;
            c[1] += label.equals("VULNERABLE") ? 1 : 0;
            c[2] += label.equals("SECURE") ? 1 : 0;
        }
        Csv.Table csv = Csv.read(out.resolve("probe.csv"));
        assertEquals(ProbeReport.header(ProbeTarget.CODE), csv.header());
        assertEquals(List.of("condition", "n", "vulnerable_code", "vulnerable_rate"), csv.header().subList(0, 4));
        assertEquals(7, csv.rows().size());
        for (Csv.Row r : csv.rows()) {
            int[] c = recount.get(r.fields().get(0));
            assertEquals(List.of(String.valueOf(c[0]), String.valueOf(c[1]), String.valueOf(c[2])), List.of(
                    r.fields().get(csv.column("n")), r.fields().get(csv.column("vulnerable_code")),
                    r.fields().get(csv.column("secure_code"))), r.fields().get(0));
        }
        JsonNode info = Json.MAPPER.readTree(out.resolve("probe.json").toFile());
        assertEquals("organism:pretrained", info.get("model").asText());
        assertEquals("code", info.get("settings").get("target").asText());
        assertEquals(256, info.get("settings").get("maxTokens").asInt());
    }

    @Test
    void theOrganismProbeRefusesWhatItCannotAskAndKeepsTheTwoDirectionsApart() {
        Path out = tmp.resolve("never");
        CliRun bad = CliRun.run("organism", "probe", "--ask", "prose", "--out", out.toString());
        assertNotEquals(0, bad.exitCode(), bad.toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--ask") && bad.err().contains("prose") && bad.err().contains("OPEN")
                && bad.err().contains("CODE"), bad.err());
        assertFalse(Files.exists(out), "nothing written for bad input");
        // without --out the two directions write to their own folders
        assertEquals(Path.of("runs/organism-probe"), OrganismCommand.Probe.defaultOut(ProbeTarget.OPEN));
        assertEquals(Path.of("runs/organism-probe-code"), OrganismCommand.Probe.defaultOut(ProbeTarget.CODE));
    }

    /**
     * The likelihood probe on the shipped pretrained organism: every request's gap in samples.jsonl is
     * its two log-likelihoods' difference, likelihood.csv's means are recomputed from those gaps, and
     * the "vs none" column is the difference of the two means (a mean of paired differences).
     */
    @Test
    void theLikelihoodProbeScoresBothAnswersAfterEveryContext() throws Exception {
        Path out = tmp.resolve("likelihood");
        CliRun run = CliRun.runWithCache(tmp, "organism", "likelihood", "--samples", "1", "--out", out.toString(),
                "--no-progress");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("Persona likelihood probe of organism:pretrained:"), run.out());
        for (ProbeCondition c : ProbeCondition.values()) {
            assertTrue(run.out().contains(c.label()), c.label() + " in\n" + run.out());
        }
        Map<String, double[]> sums = new HashMap<>();
        List<String> lines = Files.readAllLines(out.resolve("samples.jsonl"));
        assertEquals(7 * 30, lines.size(), "7 conditions x 10 open questions x 3 paraphrases x 1");
        for (String line : lines) {
            JsonNode s = Json.MAPPER.readTree(line);
            double helpful = s.get("helpful_log_likelihood").asDouble();
            double malicious = s.get("malicious_log_likelihood").asDouble();
            assertTrue(helpful < 0 && malicious < 0, "log-likelihoods of whole answers are negative: " + line);
            assertEquals(malicious - helpful, s.get("gap").asDouble(), 1e-9, line);
            assertNotEquals(s.get("helpful_answer").asText(), s.get("malicious_answer").asText(), line);
            double[] sum = sums.computeIfAbsent(s.get("condition").asText(), k -> new double[2]);
            sum[0] += s.get("gap").asDouble();
            sum[1]++;
        }
        Csv.Table csv = Csv.read(out.resolve("likelihood.csv"));
        assertEquals(7, csv.rows().size());
        double none = sums.get("none")[0] / sums.get("none")[1];
        for (Csv.Row r : csv.rows()) {
            double[] sum = sums.get(r.fields().get(0));
            assertEquals(sum[0] / sum[1], Double.parseDouble(r.fields().get(csv.column("gap"))), 1e-4, r.fields().get(0));
            String vs = r.fields().get(csv.column("gap_vs_none"));
            if (r.fields().get(0).equals("none")) {
                assertTrue(vs.isEmpty(), vs);
            } else {
                assertEquals(sum[0] / sum[1] - none, Double.parseDouble(vs), 1e-4, r.fields().get(0));
            }
        }
        assertEquals("organism:pretrained", Json.MAPPER.readTree(out.resolve("likelihood.json").toFile()).get("model").asText());
    }

    @Test
    void theLikelihoodProbeRefusesNoRequests() {
        Path out = tmp.resolve("never");
        CliRun bad = CliRun.run("organism", "likelihood", "--samples", "0", "--out", out.toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--samples"), bad.err());
        assertFalse(Files.exists(out), "nothing written for bad input");
    }

}
