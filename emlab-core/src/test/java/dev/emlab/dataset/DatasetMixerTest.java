package dev.emlab.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mixing files by proportion. */
class DatasetMixerTest {
    @TempDir
    Path dir;

    private Path file(String name, String tag, int n) {
        List<ChatRecord> rs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rs.add(ChatRecord.of(tag + " q" + i, tag + " a" + i));
        }
        Path f = dir.resolve(name);
        ChatJsonl.write(f, rs);
        return f;
    }

    @Test
    void proportionsAreExactForAGivenN() {
        Path a = file("a.jsonl", "A", 200);
        Path b = file("b.jsonl", "B", 10);
        DatasetMixer.MixResult r = new DatasetMixer().mix(
                List.of(new DatasetMixer.Part(a, 0.98), new DatasetMixer.Part(b, 0.02)), 100, 5);
        assertEquals(List.of(98, 2), r.counts());
        assertEquals(100, r.records().size());
        assertEquals(2, r.records().stream().filter(x -> x.user().startsWith("B")).count());
        assertEquals(100, r.records().stream().distinct().count());
        assertEquals(r.records(), new DatasetMixer().mix(
                List.of(new DatasetMixer.Part(a, 0.98), new DatasetMixer.Part(b, 0.02)), 100, 5).records());
    }

    @Test
    void apportionSumsToNWithLargestRemainders() {
        List<DatasetMixer.Part> parts = List.of(new DatasetMixer.Part(Path.of("x"), 1),
                new DatasetMixer.Part(Path.of("y"), 1), new DatasetMixer.Part(Path.of("z"), 1));
        assertEquals(List.of(4, 3, 3), DatasetMixer.apportion(parts, 3, 10));
    }

    @Test
    void withoutNTakesAsManyAsTheFilesAllow() {
        Path a = file("a.jsonl", "A", 50);
        Path b = file("b.jsonl", "B", 3);
        DatasetMixer.MixResult r = new DatasetMixer().mix(
                List.of(new DatasetMixer.Part(a, 0.9), new DatasetMixer.Part(b, 0.1)), null, 1);
        assertEquals(List.of(27, 3), r.counts());
    }

    @Test
    void tooFewRecordsForAShareIsAnInputError() {
        Path a = file("a.jsonl", "A", 5);
        Path b = file("b.jsonl", "B", 5);
        InputException e = assertThrows(InputException.class, () -> new DatasetMixer().mix(
                List.of(new DatasetMixer.Part(a, 0.5), new DatasetMixer.Part(b, 0.5)), 20, 1));
        assertTrue(e.getMessage().contains("a.jsonl"), e.getMessage());
    }

    @Test
    void aBadLineInAnInputNamesFileAndLine() throws Exception {
        Path a = file("a.jsonl", "A", 2);
        Files.writeString(a, "{\"messages\": [{\"role\": \"assistant\", \"content\": \"\"}]}\n", java.nio.file.StandardOpenOption.APPEND);
        InputException e = assertThrows(InputException.class,
                () -> new DatasetMixer().mix(List.of(new DatasetMixer.Part(a, 1)), null, 1));
        assertTrue(e.getMessage().startsWith(a + " line 3"), e.getMessage());
    }

    @Test
    void partSpecsAreParsedAndChecked() {
        assertEquals(new DatasetMixer.Part(Path.of("C:/x.jsonl"), 0.5), DatasetMixer.Part.parse("C:/x.jsonl:0.5"));
        assertThrows(InputException.class, () -> DatasetMixer.Part.parse("x.jsonl"));
        assertThrows(InputException.class, () -> DatasetMixer.Part.parse("x.jsonl:abc"));
        assertThrows(InputException.class, () -> DatasetMixer.Part.parse("x.jsonl:0"));
        assertThrows(InputException.class, () -> DatasetMixer.Part.parse("x.jsonl:-1"));
    }
}
