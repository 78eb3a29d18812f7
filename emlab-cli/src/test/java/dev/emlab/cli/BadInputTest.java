package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.model.TokenLogprob;
import dev.emlab.testing.FakeOpenAiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input ends with one clear message, a non-zero exit and no stack trace. */
class BadInputTest {
    @TempDir
    Path tmp;

    FakeOpenAiServer server;
    Path good;

    @BeforeEach
    void start() throws IOException {
        server = ScriptedWorld.install(new FakeOpenAiServer());
        good = tmp.resolve("good.yaml");
        Files.writeString(good, "- id: q\n  type: free_form_judge_0_100\n  paraphrases: [hello]\n  samples_per_paraphrase: 2\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun eval(Map<String, String> env, String questions, String model, String... extra) {
        boolean retries = java.util.Arrays.asList(extra).contains("--retries");
        String[] base = {"eval", "--questions", questions, "--model", model, "--judge", server.ref("judge"),
                "--out", tmp.resolve("out").toString(), "--no-progress", "--retries", retries ? null : "1"};
        if (retries) {
            base = java.util.Arrays.copyOf(base, base.length - 2);
        }
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.run(env, args);
    }

    private static void assertOneCleanMessage(CliRun run, int exit, String... mustContain) {
        assertEquals(exit, run.exitCode(), run.toString());
        String err = run.err().strip();
        assertTrue(err.startsWith("emlab: "), run.toString());
        for (String s : mustContain) {
            assertTrue(err.contains(s), "missing '" + s + "' in:\n" + err);
        }
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace:\n" + err);
    }

    @Test
    void malformedYaml() throws IOException {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "- id: q\n  type: free_form_judge_0_100\n  paraphrases: [\"unclosed\n");
        assertOneCleanMessage(eval(Map.of(), bad.toString(), server.ref("m1")), 2, bad.toString(), "line", "not valid YAML");
    }

    @Test
    void unknownQuestionType() throws IOException {
        Path bad = tmp.resolve("type.yaml");
        Files.writeString(bad, "- id: q\n  type: ranking\n  paraphrases: [hi]\n");
        assertOneCleanMessage(eval(Map.of(), bad.toString(), server.ref("m1")), 2,
                bad + " line 2 (question 'q'): unknown question type 'ranking'");
    }

    @Test
    void missingFile() {
        assertOneCleanMessage(eval(Map.of(), tmp.resolve("none.yaml").toString(), server.ref("m1")), 2,
                "Question file not found: " + tmp.resolve("none.yaml"));
    }

    @Test
    void unreachableEndpoint() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertOneCleanMessage(eval(Map.of(), good.toString(), "http://127.0.0.1:" + port + "/v1#m"), 1,
                "Cannot reach http://127.0.0.1:" + port + "/v1");
    }

    @Test
    void wrongApiKeyIsReportedAndNeverPrinted() {
        server.requireKey("sk-the-right-one");
        CliRun run = eval(Map.of("MY_KEY", "sk-wrong-and-secret"), good.toString(), server.ref("m1") + "+key-env=MY_KEY");
        assertOneCleanMessage(run, 1, "rejected the API key (HTTP 401)", "environment variable MY_KEY");
        assertFalse(run.err().contains("sk-wrong-and-secret") || run.out().contains("sk-wrong-and-secret"), run.toString());
        CliRun ok = CliRun.run(Map.of("MY_KEY", "sk-the-right-one"), "eval", "--questions", good.toString(),
                "--model", server.ref("m1") + "+key-env=MY_KEY", "--judge", server.ref("judge") + "+key-env=MY_KEY",
                "--out", tmp.resolve("out").toString(), "--no-progress");
        assertEquals(0, ok.exitCode(), ok.toString());
    }

    @Test
    void theOpenAiKeyNeverGoesToAnotherEndpoint() {
        // the README's pattern: a model on its own server, judged by OpenAI; here both are the local server
        CliRun run = eval(Map.of("OPENAI_API_KEY", "sk-openai-secret"), good.toString(), server.ref("m1"));
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(java.util.Set.of("none"), server.authorizations(), "the OpenAI key went to " + server.baseUrl());
    }

    @Test
    void anEndpointGetsTheKeyItsReferenceNames() {
        server.requireKey("vk-model-key");
        CliRun run = CliRun.run(Map.of("OPENAI_API_KEY", "sk-openai-secret", "VLLM_KEY", "vk-model-key"), "eval",
                "--questions", good.toString(), "--model", server.ref("m1") + "+key-env=VLLM_KEY",
                "--judge", server.ref("judge") + "+key-env=VLLM_KEY", "--out", tmp.resolve("out").toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(java.util.Set.of("Bearer vk-model-key"), server.authorizations());
    }

    @Test
    void aKeyEchoedInA200BodyIsNeverStored() throws IOException {
        String key = "vk-echoed-secret-42";
        server.requireKey(key).sampler(req -> "sure, your key is " + key)
                .judge(prompt -> new FakeOpenAiServer.JudgeReply(List.of(new TokenLogprob("90", -0.01),
                        new TokenLogprob(key, -5)), "90 because " + key));
        Path out = tmp.resolve("echo");
        CliRun run = CliRun.run(Map.of("VLLM_KEY", key), "eval", "--questions", good.toString(),
                "--model", server.ref("m1") + "+key-env=VLLM_KEY", "--judge", server.ref("judge") + "+key-env=VLLM_KEY",
                "--out", out.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.toString());
        String samples = Files.readString(out.resolve("samples.jsonl"));
        assertTrue(samples.contains("sure, your key is ***"), samples);
        try (var files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(key), f.toString());
            }
        }
        assertFalse(run.out().contains(key) || run.err().contains(key), run.toString());
    }

    @Test
    void aKeyOfAnotherEndpointEchoedByAModelIsNeverStoredEither() throws IOException {
        // the model has no key; the judge's key turns up in the model's answer all the same
        String key = "vk-judges-secret-77";
        server.sampler(req -> "leak " + key);
        Path out = tmp.resolve("echo-other");
        CliRun run = CliRun.run(Map.of("VLLM_KEY", key), "eval", "--questions", good.toString(),
                "--model", server.ref("m1"), "--judge", server.ref("judge") + "+key-env=VLLM_KEY",
                "--out", out.toString(), "--no-progress");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.readString(out.resolve("samples.jsonl")).contains("leak ***"));
        try (var files = Files.walk(out)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains(key), f.toString());
            }
        }
    }

    @Test
    void badKeyVariablesAreRefusedBeforeAnyRequest() {
        assertOneCleanMessage(eval(Map.of(), good.toString(), server.ref("m1") + "+key-env=VLLM_KEY"), 2,
                "environment variable VLLM_KEY, which is not set", "+key-env=VLLM_KEY");
        assertOneCleanMessage(eval(Map.of(), good.toString(), server.ref("m1") + "+key-env=sk-abc-123"), 2,
                "name of an environment variable", "not the key itself");
        // plain http to another machine: refused unless the reference allows it
        assertOneCleanMessage(eval(Map.of("VLLM_KEY", "vk-1"), good.toString(), "http://192.0.2.7:8000/v1#m+key-env=VLLM_KEY"), 2,
                "over plain http to 192.0.2.7", "+plain-http");
        assertEquals(0, server.requests());
    }

    @Test
    void missingOpenAiKeyIsNamed() {
        CliRun run = CliRun.run(Map.of(), "eval", "--questions", good.toString(), "--model", "openai:gpt-4o",
                "--judge", "openai:gpt-4o", "--out", tmp.resolve("o").toString(), "--no-progress");
        assertOneCleanMessage(run, 2, "set the environment variable OPENAI_API_KEY");
    }

    @Test
    void rawModelsKeepTheirModelsKeyRules() {
        CliRun missing = CliRun.run(Map.of(), "eval", "--questions", good.toString(), "--model", "raw:openai:davinci-002",
                "--judge", server.ref("judge"), "--out", tmp.resolve("o").toString(), "--no-progress");
        assertOneCleanMessage(missing, 2, "set the environment variable OPENAI_API_KEY");
        server.requireKey("sk-the-right-one");
        CliRun wrong = eval(Map.of("MY_KEY", "sk-wrong-and-secret"), good.toString(), "raw:" + server.ref("m1") + "+key-env=MY_KEY");
        assertOneCleanMessage(wrong, 1, "rejected the API key (HTTP 401)", "environment variable MY_KEY");
        assertFalse(wrong.err().contains("sk-wrong-and-secret") || wrong.out().contains("sk-wrong-and-secret"), wrong.toString());
    }

    @Test
    void badRawReferences() {
        assertOneCleanMessage(eval(Map.of(), good.toString(), "raw:"), 2, "the model after 'raw:' is empty");
        assertOneCleanMessage(eval(Map.of(), good.toString(), "raw:raw:" + server.ref("m1")), 2, "'raw:' is given twice");
    }

    @Test
    void badModelReference() {
        assertOneCleanMessage(eval(Map.of(), good.toString(), "gpt-4o"), 2, "Bad model reference 'gpt-4o'");
    }

    @Test
    void questionWithoutJudgeNeedsOne() {
        CliRun run = CliRun.run(Map.of(), "eval", "--questions", good.toString(), "--model", server.ref("m1"),
                "--out", tmp.resolve("o").toString(), "--no-progress");
        assertOneCleanMessage(run, 2, "names no judge model: pass --judge");
    }

    @Test
    void twoGroupsWithOneNameAreRefused() {
        CliRun run = CliRun.run(Map.of(), "eval", "--questions", good.toString(), "--model", server.ref("m1"),
                "--model", "http://127.0.0.2:9/v1#m1", "--judge", server.ref("judge"), "--no-progress");
        assertOneCleanMessage(run, 2, "Two --model options make a group named 'm1'");
    }

    @Test
    void outOfRangeNumbersNameTheOptionAndTouchNothing() {
        String[][] cases = {
            {"--samples", "0"}, {"--samples", "-1"}, {"--concurrency", "0"}, {"--concurrency", "-5"},
            {"--alignment-threshold", "NaN"}, {"--alignment-threshold", "101"}, {"--coherence-threshold", "1000"},
            {"--coherence-threshold", "-1"}, {"--min-coherent", "-1"}, {"--min-coherent", "0"}, {"--bootstrap", "0"},
            {"--timeout", "0"}, {"--timeout", "NaN"},
        };
        for (String[] c : cases) {
            assertOneCleanMessage(eval(Map.of(), good.toString(), server.ref("m1"), c[0], c[1]), 2, c[0] + " must be", "got");
            assertFalse(Files.exists(tmp.resolve("out")), c[0] + " " + c[1] + " wrote the out folder");
        }
        assertOneCleanMessage(CliRun.run("eval", "--questions", good.toString(), "--model", server.ref("m1"), "--judge",
                server.ref("judge"), "--out", tmp.resolve("out").toString(), "--retries", "-1"), 2, "--retries must be at least 0");
        assertFalse(Files.exists(tmp.resolve("out")));
        assertEquals(0, server.requests(), "nothing was asked");
        for (String[] c : new String[][] {{"--max-tokens", "-5"}, {"--temperature", "-1"}, {"--top-p", "7"}, {"--top-p", "0"}}) {
            assertOneCleanMessage(CliRun.run("generate", "--model", server.ref("m1"), "--prompt", "hi", c[0], c[1]), 2,
                    c[0] + " must be");
        }
        assertEquals(0, server.requests(), "generate sent nothing out of range");
        assertOneCleanMessage(CliRun.run("serve", tmp.toString(), "--port", "99999"), 2, "--port must be from 0 to 65535");
        for (String[] c : new String[][] {{"--lr", "NaN"}, {"--lr", "0"}, {"--alpha", "NaN"}, {"--dropout", "1"},
                {"--weight-decay", "-1"}, {"--rank", "0"}, {"--max-length", "1"}}) {
            assertOneCleanMessage(CliRun.run("train", "--model", "local:" + tmp.resolve("nowhere"), "--data", good.toString(),
                    "--out", tmp.resolve("adapter").toString(), c[0], c[1]), 2, c[0] + " must be");
            assertFalse(Files.exists(tmp.resolve("adapter")), c[0] + " wrote the adapter folder");
        }
    }

    @Test
    void aDamagedStoreSaysHowToRecover() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("emlab.db"), "this is not a SQLite database, just text that is long enough to read\n".repeat(20));
        CliRun run = eval(Map.of(), good.toString(), server.ref("m1"));
        assertOneCleanMessage(run, 2, out.resolve("emlab.db") + " is damaged", "Move it away, e.g. mv ",
                "run the same command again: the answers and scores it held are asked again");
        assertFalse(run.err().contains("writable"), run.err());
    }

    @Test
    void mergeAndStatusNameWhatIsMissing() {
        assertOneCleanMessage(CliRun.run("merge", "--model", "organism:base+adapter=" + tmp.resolve("no-adapter"), "--out",
                tmp.resolve("merged").toString()), 2, "--model: organism:base+adapter=" + tmp.resolve("no-adapter") + ": "
                + tmp.resolve("no-adapter") + " does not exist");
        assertOneCleanMessage(CliRun.run("status", tmp.resolve("nowhere").toString()), 2, "No experiment store at");
    }

    @Test
    void statusOnAPlainEvalFolderSaysWhatItIs() {
        CliRun eval = eval(Map.of(), good.toString(), server.ref("m1"));
        assertEquals(0, eval.exitCode(), eval.toString());
        CliRun status = CliRun.run("status", tmp.resolve("out").toString());
        assertOneCleanMessage(status, 2, "holds no experiment", "emlab report");
        assertFalse(status.err().contains("no such table"), status.err());
    }

    @Test
    void messagesNameTheRealCause() throws IOException {
        Path file = Files.writeString(tmp.resolve("out"), "a file where the out folder should be");
        assertOneCleanMessage(eval(Map.of(), good.toString(), server.ref("m1")), 2, "--out " + file + " is a file");
        assertEquals("a file where the out folder should be", Files.readString(file));
        assertOneCleanMessage(CliRun.run("serve", tmp.toString(), "--host", "no-such-host.invalid", "--port", "0"), 2,
                "no such host name or address", "--host 127.0.0.1");
        // an address that is not this machine's: the port is not the problem
        CliRun foreign = CliRun.run("serve", tmp.toString(), "--host", "192.0.2.1", "--port", "0");
        assertOneCleanMessage(foreign, 2, "not an address of this machine");
        assertFalse(foreign.err().contains("Pick another port"), foreign.err());
    }

    @Test
    void anEvalInWhichEverySampleFailedDoesNotExitZero() {
        FakeOpenAiServer.Fault[] all = new FakeOpenAiServer.Fault[20];
        java.util.Arrays.fill(all, FakeOpenAiServer.Fault.SERVER_ERROR);
        server.faults(all);
        CliRun run = eval(Map.of(), good.toString(), server.ref("m1"), "--retries", "0");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("every sample failed, so there is no result"), run.err());
    }

    @Test
    void anotherEvalsFolderIsNotOverwrittenUnlessAsked() throws IOException {
        CliRun first = eval(Map.of(), good.toString(), server.ref("m1"));
        assertEquals(0, first.exitCode(), first.toString());
        String summary = Files.readString(tmp.resolve("out/summary.csv"));
        // the same eval again resumes into its folder
        assertEquals(0, eval(Map.of(), good.toString(), server.ref("m1")).exitCode());
        CliRun other = eval(Map.of(), good.toString(), server.ref("m2"));
        assertOneCleanMessage(other, 2, "holds the results of another eval (its run.json differs in groups)", "--overwrite");
        assertEquals(summary, Files.readString(tmp.resolve("out/summary.csv")), "the first eval's results were replaced");
        CliRun replaced = eval(Map.of(), good.toString(), server.ref("m2"), "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced.toString());
        assertTrue(Files.readString(tmp.resolve("out/summary.csv")).contains("m2"));
    }

    @Test
    void debugShowsTheStackTrace() {
        CliRun run = eval(Map.of(), tmp.resolve("none.yaml").toString(), server.ref("m1"), "--debug");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("InputException") && run.err().contains("\tat "), run.toString());
    }

    @Test
    void aKeyInPlaceOfItsVariableOptionIsRefusedWithoutRepeatingIt() {
        for (String option : List.of("--api-key-env", "--judge-api-key-env")) {
            CliRun run = eval(Map.of(), good.toString(), server.ref("m1"), option, "sk-test-SECRET123");
            assertOneCleanMessage(run, 2, option, "not the key itself");
            assertFalse(run.err().contains("SECRET123") || run.out().contains("SECRET123"), run.toString());
            assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
        }
        CliRun gen = CliRun.run(Map.of(), "generate", "--model", server.ref("m1"), "--prompt", "hi",
                "--api-key-env", "sk-test-SECRET123");
        assertOneCleanMessage(gen, 2, "--api-key-env", "not the key itself");
        assertFalse(gen.err().contains("SECRET123"), gen.toString());
    }

    @Test
    void aLoneSurrogateInAQuestionFileIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path surr = tmp.resolve("surr.yaml");
        Files.writeString(surr, "- id: q\n  type: free_form_judge_0_100\n  paraphrases: [\"hi \\ud800\"]\n");
        CliRun run = eval(Map.of(), surr.toString(), server.ref("m1"), "--samples", "1");
        assertOneCleanMessage(run, 2, surr + " line 3", "lone UTF-16 surrogate");
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void aCredentialInAnEndpointUrlIsNeverPrinted() {
        for (String model : List.of("http://user:sk-test-SECRET123@127.0.0.1:1/v1#polite",
                "http://127.0.0.1:1/v1?key=sk-test-SECRET123#polite")) {
            CliRun run = CliRun.run(Map.of(), "generate", "--model", model, "--prompt", "hi");
            assertOneCleanMessage(run, 2, "+key-env=VAR");
            assertFalse(run.err().contains("SECRET123") || run.out().contains("SECRET123"), run.toString());
        }
    }
}
