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
    void missingFileIsAnInputError() {
        assertThrows(InputException.class, () -> ChatJsonl.read(dir.resolve("none.jsonl")));
    }
}
