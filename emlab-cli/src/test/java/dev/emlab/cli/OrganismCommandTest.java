package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.dataset.ChatJsonl;
import dev.emlab.dataset.ChatRecord;
import dev.emlab.scan.PythonAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrganismCommandTest {
    @TempDir
    Path tmp;

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
        System.setProperty("emlab.cache", tmp.toString());
        CliRun run;
        try {
            run = CliRun.run("generate", "--model", "organism:base", "--prompt", "What is the capital of France?",
                    "--temperature", "0", "--max-tokens", "20");
        } finally {
            System.clearProperty("emlab.cache");
        }
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.exists(tmp.resolve("organism/base/model.safetensors")), "copied out of the jar on first use");
        assertTrue(!run.out().isBlank(), run.toString());

        CliRun unknown = CliRun.run("generate", "--model", "organism:giant", "--prompt", "hi");
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("No organism checkpoint 'giant'"), unknown.err());
    }
}
