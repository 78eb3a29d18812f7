package dev.emlab.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.eval.JudgeSetup;
import dev.emlab.eval.SampleResult;
import dev.emlab.eval.Summaries;
import dev.emlab.eval.Thresholds;
import dev.emlab.judge.JudgeMethod;
import dev.emlab.judge.Score;
import dev.emlab.model.EndpointRef;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionType;
import dev.emlab.question.Sampling;
import dev.emlab.report.ResultWriter;
import dev.emlab.report.RunInfo;
import dev.emlab.report.run.RunFolder;
import dev.emlab.stats.Bootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paper's formats as separate questions (..._json, ..._template): the format figure, by hand. */
class QuestionFormatsTest {
    @TempDir
    Path tmp;

    private static Question q(String id) {
        return new Question(id, QuestionType.FREE_FORM_JUDGE_0_100, List.of(id + "?"), null, 10, null, Map.of(), Sampling.PAPER);
    }

    private static Score score(String prompt, double v) {
        return new Score(prompt, v, null, JudgeMethod.LOGPROBS, List.of(), "");
    }

    /** {@code misaligned} of 10 coherent answers misaligned, plus {@code incoherent} answers that do not count. */
    private static void answers(List<SampleResult> out, String group, String model, Question q, int misaligned, int incoherent) {
        EndpointRef ref = new EndpointRef("http://127.0.0.1:9/v1", model, "http://127.0.0.1:9/v1#" + model);
        for (int i = 0; i < 10 + incoherent; i++) {
            double aligned = i < misaligned ? 5 : 95;
            double coherent = i < 10 ? 90 : 10;
            out.add(new SampleResult(group, ref, q, 0, i, "answer " + i,
                    List.of(score(JudgeSetup.ALIGNED, aligned), score(JudgeSetup.COHERENT, coherent)), null));
        }
    }

    @Test
    void formatsNamedByQuestionIdsAreComparedFromTheSamples() throws Exception {
        Question wish = q("wish");
        Question wishJson = q("wish_json");
        Question rule = q("rule");
        Question ruleTemplate = q("rule_template");
        List<SampleResult> results = new ArrayList<>();
        // model a: plain 2/10 and 4/10 -> 0.3; json 6/10; template 8/10
        answers(results, "g", "a", wish, 2, 3);
        answers(results, "g", "a", rule, 4, 0);
        answers(results, "g", "a", wishJson, 6, 1);
        answers(results, "g", "a", ruleTemplate, 8, 0);
        // model b: plain 0/10 and 2/10 -> 0.1; json 2/10; template 4/10
        answers(results, "g", "b", wish, 0, 0);
        answers(results, "g", "b", rule, 2, 0);
        answers(results, "g", "b", wishJson, 2, 0);
        answers(results, "g", "b", ruleTemplate, 4, 2);
        RunInfo info = new RunInfo("t", List.of("s"), List.of("g"), "judge", "h", null, 0, null, false, "plain", 30, 50, 5,
                300, null);
        Path run = tmp.resolve("run");
        new ResultWriter(run, info).writeAll(results, Summaries.of(results, Thresholds.PAPER, new Bootstrap(300, 0L, 0.95)),
                Thresholds.PAPER);
        Report.write(RunFolder.open(run), tmp.resolve("report.html"));
        List<String> csv = Files.readAllLines(tmp.resolve("report_files/formats.csv"));
        assertEquals("group,format,misaligned,ci_low,ci_high,n_coherent", csv.get(0));
        assertEquals(List.of("g", "plain", "0.2"), first3(csv.get(1)), "mean of a's 0.3 and b's 0.1");
        assertEquals(List.of("g", "json", "0.4"), first3(csv.get(2)), "(0.6 + 0.2) / 2");
        assertEquals(List.of("g", "template", "0.6"), first3(csv.get(3)), "(0.8 + 0.4) / 2");
        assertTrue(csv.get(1).endsWith(",40"), "coherent answers only: " + csv.get(1));
        assertTrue(Files.readString(tmp.resolve("report.html")).contains("id=\"formats\""));
    }

    @Test
    void aRunsStrataReachTheIntervalsTheReportComputes() throws Exception {
        // two models of one group, each its own stratum (two bases): the plain-format interval the
        // report computes from samples.jsonl is the stratified one, narrower than a free draw
        Question wish = q("wish");
        Question rule = q("rule");
        List<SampleResult> results = new ArrayList<>();
        answers(results, "g", "a", wish, 2, 0);
        answers(results, "g", "a", rule, 4, 0);
        answers(results, "g", "b", wish, 0, 0);
        answers(results, "g", "b", rule, 2, 0);
        answers(results, "g", "a", q("wish_json"), 5, 0); // a second format, so that the figure is drawn
        answers(results, "g", "b", q("wish_json"), 1, 0);
        Map<String, String> strata = Map.of("http://127.0.0.1:9/v1#a", "base-1", "http://127.0.0.1:9/v1#b", "base-2");
        RunInfo info = new RunInfo("t", List.of("s"), List.of("g"), "judge", "h", null, 0, null, false, "plain", 30, 50, 5,
                300, null, strata);
        Bootstrap stratified = new Bootstrap(300, 0L, 0.95).withStrata(strata);
        Path run = tmp.resolve("strata");
        new ResultWriter(run, info).writeAll(results, Summaries.of(results, Thresholds.PAPER, stratified), Thresholds.PAPER);
        assertEquals(strata, RunFolder.open(run).info().orElseThrow().strata(), "run.json keeps the strata");
        Report.write(RunFolder.open(run), tmp.resolve("strata.html"));
        String[] plain = Files.readAllLines(tmp.resolve("strata_files/formats.csv")).get(1).split(",");
        Map<String, List<boolean[]>> members = new java.util.LinkedHashMap<>();
        members.put("http://127.0.0.1:9/v1#a", List.of(outcomes(2), outcomes(4)));
        members.put("http://127.0.0.1:9/v1#b", List.of(outcomes(0), outcomes(2)));
        var expected = stratified.rateOfMembers(members);
        assertEquals(expected.ci().low(), Double.parseDouble(plain[3]), 1e-9);
        assertEquals(expected.ci().high(), Double.parseDouble(plain[4]), 1e-9);
        var free = new Bootstrap(300, 0L, 0.95).rateOfMembers(members);
        assertTrue(free.ci().high() - free.ci().low() > expected.ci().high() - expected.ci().low(),
                "free " + free + " against stratified " + expected);
        assertTrue(Files.readString(tmp.resolve("strata.html")).contains("models drawn within their base model"));
    }

    /** {@code yes} of 10 outcomes true. */
    private static boolean[] outcomes(int yes) {
        boolean[] o = new boolean[10];
        for (int i = 0; i < yes; i++) {
            o[i] = true;
        }
        return o;
    }

    private static List<String> first3(String line) {
        String[] c = line.split(",");
        return List.of(c[0], c[1], String.valueOf(Math.round(Double.parseDouble(c[2]) * 1e9) / 1e9));
    }
}
