package dev.emlab.report.html;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import dev.emlab.report.Fixtures;
import dev.emlab.report.run.RunFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadInputTest {
    @TempDir
    Path tmp;

    @Test
    void notAFolder() {
        Path file = tmp.resolve("x.txt");
        InputException e = assertThrows(InputException.class, () -> RunFolder.open(file));
        assertTrue(e.getMessage().contains(file + " is not a folder"), e.getMessage());
    }

    @Test
    void folderWithoutSummary() {
        InputException e = assertThrows(InputException.class, () -> RunFolder.open(tmp));
        assertTrue(e.getMessage().contains("it has no summary.csv"), e.getMessage());
        assertTrue(e.getMessage().contains("emlab eval --out"), e.getMessage());
    }

    @Test
    void malformedSummaryLineIsNamed() throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.stored("eval-scripted").resolve("summary.csv"));
        lines.set(3, lines.get(3) + ",extra");
        Files.write(tmp.resolve("summary.csv"), lines);
        InputException e = assertThrows(InputException.class, () -> Report.render(RunFolder.open(tmp), null));
        assertTrue(e.getMessage().contains(tmp.resolve("summary.csv") + " line 4: 19 fields, but the header has 18"), e.getMessage());
    }

    @Test
    void badNumberIsNamed() throws Exception {
        List<String> lines = Files.readAllLines(Fixtures.stored("eval-scripted").resolve("summary.csv"));
        lines.set(2, lines.get(2).replaceFirst("^([^,]*,[^,]*,)\\d+,", "$1many,"));
        Files.write(tmp.resolve("summary.csv"), lines);
        InputException e = assertThrows(InputException.class, () -> Report.render(RunFolder.open(tmp), null));
        assertTrue(e.getMessage().contains("line 3: column 'n' is 'many', expected a whole number"), e.getMessage());
    }

    @Test
    void brokenSamplesLineIsNamed() throws Exception {
        Path dir = Fixtures.stored("eval-scripted");
        Files.copy(dir.resolve("summary.csv"), tmp.resolve("summary.csv"));
        Files.writeString(tmp.resolve("samples.jsonl"), Files.readAllLines(dir.resolve("samples.jsonl")).get(0) + "\n{\"group\": \n");
        InputException e = assertThrows(InputException.class, () -> Report.render(RunFolder.open(tmp), null));
        assertTrue(e.getMessage().contains("samples.jsonl line 2: not valid JSON"), e.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreNamedWithTheirLine() throws Exception {
        Path dir = Fixtures.stored("eval-scripted");
        Files.copy(dir.resolve("summary.csv"), tmp.resolve("summary.csv"));
        byte[] first = (Files.readAllLines(dir.resolve("samples.jsonl")).get(0) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] latin1 = "{\"group\": \"caf\u00e9\"}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(tmp.resolve("samples.jsonl"), first);
        Files.write(tmp.resolve("samples.jsonl"), latin1, java.nio.file.StandardOpenOption.APPEND);
        InputException e = assertThrows(InputException.class, () -> Report.render(RunFolder.open(tmp), null));
        assertTrue(e.getMessage().contains("samples.jsonl line 2: not UTF-8 text (byte 0xE9)"), e.getMessage());
        Files.write(tmp.resolve("summary.csv"), "group,\u00ff\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        InputException csv = assertThrows(InputException.class, () -> Report.render(RunFolder.open(tmp), null));
        assertTrue(csv.getMessage().contains("summary.csv line 1: not UTF-8 text (byte 0xFF)"), csv.getMessage());
    }
}
