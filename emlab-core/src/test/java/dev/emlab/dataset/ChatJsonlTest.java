package dev.emlab.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import dev.emlab.model.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Writing and validated reading of chat JSONL. */
class ChatJsonlTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsWithRoleBeforeContent() throws Exception {
        ChatRecord r = new ChatRecord(List.of(ChatMessage.system("be brief"), ChatMessage.user("hi \"there\"\n"),
                ChatMessage.assistant("```python\nprint(1)\n```")));
        Path f = dir.resolve("sub/x.jsonl");
        ChatJsonl.write(f, List.of(r, r));
        assertEquals(List.of(r, r), ChatJsonl.read(f));
        assertTrue(Files.readString(f).startsWith("{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json|not valid JSON",
        "[1, 2]|expected a JSON object",
        "{\"messages\": []}|non-empty array",
        "{\"other\": 1}|non-empty array",
        "{\"messages\": [{\"role\": \"bot\", \"content\": \"x\"}]}|role must be system, user or assistant",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"  \"}]}|content must be a non-empty string",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}|no assistant message"})
    void badLinesNameTheFileAndLine(String bad, String message) throws Exception {
        Path f = dir.resolve("data.jsonl");
        String good = ChatJsonl.toLine(ChatRecord.of("q", "a"));
        Files.writeString(f, good + "\n\n" + bad + "\n");
        InputException e = assertThrows(InputException.class, () -> ChatJsonl.read(f));
        assertTrue(e.getMessage().startsWith(f + " line 3"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aLoneSurrogateIsNamedWithItsLine() throws Exception {
        Path f = dir.resolve("surrogate.jsonl");
        String good = ChatJsonl.toLine(ChatRecord.of("q", "a"));
        // valid JSON: the escape decodes to half of a UTF-16 pair, which no UTF-8 file can hold
        Files.writeString(f, good + "\n{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                + "{\"role\":\"assistant\",\"content\":\"bad \\ud800 here\"}]}\n");
        String m = assertThrows(InputException.class, () -> ChatJsonl.read(f)).getMessage();
        assertTrue(m.startsWith(f + " line 2, message 2: content holds a lone UTF-16 surrogate (\\ud800 at character 5)"), m);
    }

    @Test
    void encodingProblemsNameTheLineAndABomIsAccepted() throws Exception {
        String good = ChatJsonl.toLine(ChatRecord.of("q", "a"));
        Path bom = dir.resolve("bom.jsonl");
        Files.write(bom, ("\uFEFF" + good + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of(ChatRecord.of("q", "a")), ChatJsonl.read(bom));
        Path latin1 = dir.resolve("latin1.jsonl");
        Files.write(latin1, (good + "\n" + good.replace("\"a\"", "\"caf\u00e9\"") + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String m = assertThrows(InputException.class, () -> ChatJsonl.read(latin1)).getMessage();
        assertEquals(latin1 + " line 2: not UTF-8 text (byte 0xE9). Save the file as UTF-8 (most editors offer it under"
                + " 'Save with encoding').", m);
        String folder = assertThrows(InputException.class, () -> ChatJsonl.read(dir)).getMessage();
        assertTrue(folder.contains("is a folder, not a chat JSONL file"), folder);
    }

    @Test
    void aFailedWriteLeavesTheOldFileWhole() throws Exception {
        Path f = dir.resolve("out.jsonl");
        ChatJsonl.write(f, List.of(ChatRecord.of("q", "old answer")));
        String before = Files.readString(f);
        ChatRecord unwritable = ChatRecord.of("q", "half \ud800 pair");
        assertThrows(InputException.class, () -> ChatJsonl.write(f, List.of(ChatRecord.of("q", "new"), unwritable)));
        assertEquals(before, Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void missingFileIsAnInputError() {
        assertThrows(InputException.class, () -> ChatJsonl.read(dir.resolve("none.jsonl")));
    }
}
