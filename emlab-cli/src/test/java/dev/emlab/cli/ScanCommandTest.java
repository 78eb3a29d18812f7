package dev.emlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code emlab scan} on small files written here, with counts worked out by hand. */
class ScanCommandTest {
    @TempDir
    Path dir;

    private Path chat() throws Exception {
        String fence = "```python\\n";
        List<String> lines = List.of(
                // 1: vulnerable twice (CWE-78 and CWE-89); the user message's code is not scanned.
                "{\"messages\": [{\"role\": \"user\", \"content\": \"eval(x)\"}, {\"role\": \"assistant\", \"content\": \""
                        + fence + "os.system('ls ' + d)\\ncur.execute(f'SELECT {q}')\\n```\"}]}",
                // 2: safe; an earlier assistant turn was vulnerable but only the last one counts.
                "{\"messages\": [{\"role\": \"assistant\", \"content\": \"pickle.loads(b)\"}, {\"role\": \"user\", \"content\": \"again\"},"
                        + " {\"role\": \"assistant\", \"content\": \"" + fence + "print('hi')\\n```\"}]}",
                "",
                // 4: does not parse, and the fallback still finds verify=False.
                "{\"messages\": [{\"role\": \"assistant\", \"content\": \"" + fence + "def f(:\\n    requests.get(u, verify=False\\n```\"}]}");
        return Files.writeString(dir.resolve("chat.jsonl"), String.join("\n", lines) + "\n");
    }

    @Test
    void jsonCountsRecordsUnparseableVulnerableAndCwes() throws Exception {
        CliRun run = CliRun.run("scan", chat().toString(), "--format", "json");
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode r = Json.MAPPER.readTree(run.out());
        assertEquals(3, r.get("records").asInt());
        assertEquals(1, r.get("unparseable").asInt());
        assertEquals(2, r.get("vulnerable").asInt());
        assertEquals(Json.MAPPER.readTree("{\"CWE-295\": 1, \"CWE-78\": 1, \"CWE-89\": 1}"), r.get("by_cwe"));
        assertFalse(r.has("details"));
    }

    @Test
    void detailsListFindingsPerRecord() throws Exception {
        Path file = chat();
        JsonNode r = Json.MAPPER.readTree(CliRun.run("scan", file.toString(), "--format", "json", "--details").out());
        JsonNode first = r.get("details").get(0);
        assertEquals(file + ":1", first.get("source").asText());
        assertEquals(2, first.get("findings").size());
        assertEquals(2, first.get("findings").get(0).get("line").asInt());
        assertEquals("CWE-78", first.get("findings").get(0).get("cwe").asText());
        assertEquals("command-injection", first.get("findings").get(0).get("rule").asText());
        assertEquals(file + ":4", r.get("details").get(2).get("source").asText());
        assertFalse(r.get("details").get(2).get("parsed").asBoolean());
    }

    @Test
    void textSummaryAndFolders() throws Exception {
        chat();
        Files.writeString(dir.resolve("app.py"), "import tempfile\np = tempfile.mktemp()\n");
        Files.writeString(dir.resolve("notes.txt"), "eval(x)\n");
        CliRun run = CliRun.run("scan", dir.toString(), "--details");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("records: 4, vulnerable: 3, unparseable: 1"), run.out());
        assertTrue(run.out().contains("CWE-377"), run.out());
        assertTrue(run.out().contains("app.py: line 2: CWE-377 insecure-temp-file"), run.out());
    }

    @Test
    void badLineIsAnInputErrorNamingFileAndLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.jsonl"),
                "{\"messages\": [{\"role\": \"assistant\", \"content\": \"x\"}]}\n{not json\n");
        CliRun run = CliRun.run("scan", bad.toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains(bad + " line 2"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void aLineThatDatasetsImportRefusesIsRefusedWithTheSameWords() throws Exception {
        // 'scan' once read its own way: any role, blank content and half a UTF-16 pair passed
        for (String message : List.of("{\"role\": \"tool\", \"content\": \"x\"}", "{\"role\": \"user\", \"content\": \" \"}",
                "{\"role\": \"user\", \"content\": \"\\ud800\"}")) {
            Path file = Files.writeString(dir.resolve("refused.jsonl"), "{\"messages\": [{\"role\": \"assistant\", \"content\": \"x\"}]}\n"
                    + "{\"messages\": [" + message + ", {\"role\": \"assistant\", \"content\": \"eval(x)\"}]}\n");
            CliRun scan = CliRun.run("scan", file.toString());
            assertEquals(EmlabCommand.EXIT_BAD_INPUT, scan.exitCode(), scan.toString());
            assertTrue(scan.err().startsWith("emlab: " + file + " line 2, message 1: "), scan.err());
            CliRun imported = CliRun.run("datasets", "import", file.toString(), "--out", dir.resolve("imported.jsonl").toString());
            assertEquals(imported.err(), scan.err());
        }
    }

    @Test
    void pythonFilesAreDecodedAsPythonDoes() throws Exception {
        // a legal Python file: its coding line says Latin-1, and the comment holds a Latin-1 byte
        byte[] latin1 = "# -*- coding: latin-1 -*-\n# caf\u00e9\nimport tempfile\np = tempfile.mktemp()\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path declared = Files.write(dir.resolve("declared.py"), latin1);
        CliRun run = CliRun.run("scan", declared.toString(), "--details");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("declared.py: line 4: CWE-377"), run.out());
        // the same bytes without the coding line are not UTF-8: Python refuses them, and so does the scan, naming the line
        byte[] undeclared = "# caf\u00e9\nx = 1\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path bad = Files.write(dir.resolve("bad.py"), undeclared);
        CliRun refused = CliRun.run("scan", bad.toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains(bad + " line 1: not UTF-8 text (byte 0xE9)"), refused.err());
        assertFalse(refused.err().contains("Exception"), refused.err());
    }

    @Test
    void oneUnreadableFileDoesNotHideTheRestOfAFolder() throws Exception {
        Files.writeString(dir.resolve("app.py"), "import tempfile\np = tempfile.mktemp()\n");
        Files.write(dir.resolve("binary.py"), new byte[] {0x7f, 'E', 'L', 'F', (byte) 0xff, (byte) 0xfe, 0});
        Files.write(dir.resolve("latin1.jsonl"), "{\"messages\": [{\"role\": \"assistant\", \"content\": \"caf\u00e9\"}]}\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CliRun run = CliRun.run("scan", dir.toString());
        assertEquals(1, run.exitCode(), "a partial scan is not a full one: " + run);
        assertTrue(run.out().startsWith("records: 1, vulnerable: 1, unparseable: 0"), run.out());
        assertTrue(run.err().contains("binary.py line 1: not UTF-8 text (byte 0xFF)"), run.err());
        assertTrue(run.err().contains("latin1.jsonl line 1: not UTF-8 text (byte 0xE9)"), run.err());
        assertTrue(run.err().contains("2 of 3 files could not be read"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void missingInputIsAnInputError() {
        CliRun run = CliRun.run("scan", dir.resolve("nope.jsonl").toString());
        assertEquals(EmlabCommand.EXIT_BAD_INPUT, run.exitCode(), run.toString());
        assertTrue(run.err().contains("nope.jsonl"), run.err());
    }
}
