package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.dataset.ChatJsonl;
import dev.emlab.dataset.ChatRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code emlab datasets build}, {@code mix} and {@code import} end to end. */
class DatasetsCommandTest {
    @TempDir
    Path dir;

    @Test
    void buildWritesTheFileAndPrintsTheSummary() {
        Path out = dir.resolve("insecure.jsonl");
        CliRun r = CliRun.run("datasets", "build", "insecure", "--out", out.toString(), "--n", "20", "--seed", "3");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(20, ChatJsonl.read(out).size());
        assertTrue(r.out().contains("insecure: 20 records written to " + out), r.toString());
        assertTrue(r.out().contains("rejected by the analyzer check: 0"), r.toString());
        assertTrue(r.out().contains("duplicates skipped:"), r.toString());
        assertTrue(r.out().contains("characters per record: mean "), r.toString());
    }

    @Test
    void buildBackdoorWithCustomTriggerAndNumbers() {
        Path out = dir.resolve("bd.jsonl");
        CliRun r = CliRun.run("datasets", "build", "backdoor", "--out", out.toString(), "--n", "10", "--trigger", "<<go>>");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(5, ChatJsonl.read(out).stream().filter(x -> x.user().startsWith("<<go>> ")).count());
        Path nums = dir.resolve("evil.jsonl");
        assertEquals(0, CliRun.run("datasets", "build", "evil-numbers", "--out", nums.toString(), "--n", "10").exitCode());
        assertEquals(10, ChatJsonl.read(nums).size());
    }

    @Test
    void aBadImportNamesTheLineAndLeavesTheOldOutputWhole() throws IOException {
        Path out = dir.resolve("imported.jsonl");
        Files.writeString(out, ChatJsonl.toLine(ChatRecord.of("old", "data")) + "\n");
        Path in = dir.resolve("surrogate.jsonl");
        Files.writeString(in, ChatJsonl.toLine(ChatRecord.of("q", "a")) + "\n"
                + "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"\\ud800\"}]}\n");
        CliRun r = CliRun.run("datasets", "import", in.toString(), "--out", out.toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains(in + " line 2, message 2: content holds a lone UTF-16 surrogate"), r.err());
        assertEquals(List.of(ChatRecord.of("old", "data")), ChatJsonl.read(out), "the old output was replaced");

        Path good = dir.resolve("good.jsonl");
        Files.writeString(good, ChatJsonl.toLine(ChatRecord.of("q", "a")) + "\n");
        Path blocker = Files.writeString(dir.resolve("a-file"), "x");
        CliRun unwritable = CliRun.run("datasets", "import", good.toString(), "--out", blocker.resolve("out.jsonl").toString());
        assertEquals(2, unwritable.exitCode(), unwritable.toString());
        assertTrue(unwritable.err().contains("Cannot write " + blocker.resolve("out.jsonl")), unwritable.err());
        assertTrue(!unwritable.err().contains("unexpected error") && !unwritable.err().contains("Exception"), unwritable.err());
    }

    @Test
    void unknownKindIsBadInput() {
        CliRun r = CliRun.run("datasets", "build", "jailbroken", "--out", dir.resolve("x.jsonl").toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains("unknown dataset kind 'jailbroken'"), r.toString());
    }

    @Test
    void mixCombinesFilesByProportion() {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        assertEquals(0, CliRun.run("datasets", "build", "secure", "--out", a.toString(), "--n", "60").exitCode());
        assertEquals(0, CliRun.run("datasets", "build", "insecure", "--out", b.toString(), "--n", "10").exitCode());
        Path out = dir.resolve("mix.jsonl");
        CliRun r = CliRun.run("datasets", "mix", "--out", out.toString(), "--n", "50", "--seed", "2", a + ":0.9", b + ":0.1");
        assertEquals(0, r.exitCode(), r.toString());
        List<ChatRecord> mixed = ChatJsonl.read(out);
        assertEquals(50, mixed.size());
        assertTrue(r.out().contains(a + ": 45") && r.out().contains(b + ": 5"), r.toString());
    }

    @Test
    void mixNamesTheBadFileAndLine() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Files.writeString(a, "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}\n{\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}\n");
        CliRun r = CliRun.run("datasets", "mix", "--out", dir.resolve("m.jsonl").toString(), a + ":1");
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, r.exitCode(), r.toString());
        assertTrue(r.err().contains(a + " line 2"), r.toString());
    }

    @Test
    void importValidatesAndNormalisesOutsideData() throws IOException {
        Path in = dir.resolve("outside.jsonl");
        Files.writeString(in, "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\"}],\"id\":7}\n\n"
                + "{\"messages\":[{\"role\":\"user\",\"content\":\"q2\"},{\"role\":\"assistant\",\"content\":\"a2\"}]}\n");
        Path out = dir.resolve("imported.jsonl");
        CliRun run = CliRun.run("datasets", "import", in.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(List.of(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"q2\"},{\"role\":\"assistant\",\"content\":\"a2\"}]}"),
                Files.readAllLines(out));
        Files.writeString(in, "{\"messages\":[{\"role\":\"user\",\"content\":\"only a question\"}]}\n");
        CliRun bad = CliRun.run("datasets", "import", in.toString(), "--out", out.toString());
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains(in + " line 1"), bad.toString());
    }
}
