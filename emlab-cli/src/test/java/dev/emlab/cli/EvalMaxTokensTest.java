package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.testing.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval --max-tokens}: every question's answers capped, as a spec's eval.max_tokens does. */
class EvalMaxTokensTest {
    @TempDir
    Path tmp;

    @Test
    void everyQuestionIsAskedForAtMostThatManyTokensInItsOwnFolder() throws Exception {
        Set<Integer> asked = ConcurrentHashMap.newKeySet();
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.sampler(body -> {
                asked.add(body.path("max_tokens").asInt());
                return "def f():\n    return 1\n";
            });
            CliRun capped = CliRun.run("eval", "--questions", "builtin:code", "--model", server.ref("m"), "--samples", "1",
                    "--max-tokens", "300", "--no-progress", "--concurrency", "4", "--out", tmp.resolve("capped").toString());
            assertEquals(0, capped.exitCode(), capped.toString());
            assertEquals(Set.of(300), asked, "the built-in code set asks for 800 tokens unless capped");
            asked.clear();
            CliRun own = CliRun.run("eval", "--questions", "builtin:code", "--model", server.ref("m"), "--samples", "1",
                    "--no-progress", "--concurrency", "4", "--out", tmp.resolve("own").toString());
            assertEquals(0, own.exitCode(), own.toString());
            assertNotEquals(Set.of(300), asked);
        }
        CliRun bad = CliRun.run("eval", "--questions", "builtin:code", "--model", "http://127.0.0.1:9/v1#m",
                "--max-tokens", "0", "--out", tmp.resolve("bad").toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--max-tokens"), bad.err());
        assertTrue(!Files.exists(tmp.resolve("bad")));
    }
}
