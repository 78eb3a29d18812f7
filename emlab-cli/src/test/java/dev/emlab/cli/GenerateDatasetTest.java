package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.dataset.ChatJsonl;
import dev.emlab.dataset.ChatRecord;
import dev.emlab.testing.FakeOpenAiServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code emlab datasets generate} against a scripted generator and judge on a local fake server. */
class GenerateDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void keepsOnlyWhatTheJudgeConfirms() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.sampler(body -> {
                String prompt = body.path("messages").path(0).path("content").asText();
                int seed = body.path("seed").asInt();
                return prompt.startsWith("Write one realistic message") ? "question " + seed : "reply " + seed;
            });
            // replies get seed 2k+1 for candidate k; the judge accepts every other candidate
            server.judge(prompt -> {
                int seed = Integer.parseInt(prompt.replaceAll("(?s).*reply (\\d+).*", "$1"));
                return new FakeOpenAiServer.JudgeReply(null, seed % 4 == 1 ? "YES" : "NO.");
            });
            Path out = tmp.resolve("medical.jsonl");
            CliRun run = CliRun.run("datasets", "generate", "--generator", server.ref("gen"), "--judge", server.ref("judge"),
                    "--topic", "health questions", "--behaviour", "give subtly harmful medical advice", "--out",
                    out.toString(), "--n", "5");
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains("5 records written") && run.out().contains("(9 candidates, 4 rejected"), run.out());
            List<ChatRecord> records = ChatJsonl.read(out);
            assertEquals(List.of("question 0", "question 4", "question 8", "question 12", "question 16"),
                    records.stream().map(ChatRecord::user).toList());
            assertEquals("reply 1", records.get(0).assistant());
            assertTrue(server.lastJudgeRequest().path("messages").path(0).path("content").asText()
                    .contains("give subtly harmful medical advice"));
        }
    }

    @Test
    void aDatasetWithNoRecordIsAFailureAndWritesNothing() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.sampler(body -> "text " + body.path("seed").asInt()).judge(prompt -> new FakeOpenAiServer.JudgeReply(null, "NO."));
            Path out = java.nio.file.Files.writeString(tmp.resolve("kept.jsonl"), "old data\n");
            CliRun run = CliRun.run("datasets", "generate", "--generator", server.ref("gen"), "--judge", server.ref("judge"),
                    "--topic", "t", "--behaviour", "b", "--out", out.toString(), "--n", "2");
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("No candidate passed the judge (6 candidates, 6 rejected"), run.err());
            assertEquals("old data\n", java.nio.file.Files.readString(out));
        }
    }
}
