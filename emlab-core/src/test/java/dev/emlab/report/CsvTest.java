package dev.emlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path tmp;

    /** What row() writes, read() gives back: commas, quotes, line breaks and markup included. */
    @Test
    void readsBackWhatItWrites() throws Exception {
        List<String> hostile = List.of("a,b", "say \"hi\"", "two\nlines", "<script>x</script>", "");
        StringWriter w = new StringWriter();
        Csv.row(w, List.of("h1", "h2", "h3", "h4", "h5"));
        Csv.row(w, hostile);
        Csv.row(w, List.of("plain", 1, 0.25, "", "z"));
        Path f = tmp.resolve("t.csv");
        Files.writeString(f, w.toString());
        Csv.Table t = Csv.read(f);
        assertEquals(List.of("h1", "h2", "h3", "h4", "h5"), t.header());
        assertEquals(hostile, t.rows().get(0).fields());
        assertEquals(List.of("plain", "1", "0.2500", "", "z"), t.rows().get(1).fields());
        // the quoted line break makes the second row start on line 2 and the third on line 4
        assertEquals(2, t.rows().get(0).line());
        assertEquals(4, t.rows().get(1).line());
    }

    @Test
    void wrongFieldCountNamesFileAndLine() throws Exception {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, "a,b\n1,2\n1,2,3\n");
        InputException e = assertThrows(InputException.class, () -> Csv.read(f));
        assertEquals(f + " line 3: 3 fields, but the header has 2. Fix or remove that line (a field with a comma must "
                + "be in double quotes).", e.getMessage());
    }

    @Test
    void unclosedQuoteNamesItsLine() throws Exception {
        Path f = tmp.resolve("bad.csv");
        Files.writeString(f, "a,b\n1,2\n\"open,2\n3,4\n");
        InputException e = assertThrows(InputException.class, () -> Csv.read(f));
        assertTrue(e.getMessage().startsWith(f + " line 3: a quoted field is never closed"), e.getMessage());
    }

    @Test
    void emptyFileAndMissingFile() {
        InputException missing = assertThrows(InputException.class, () -> Csv.read(tmp.resolve("none.csv")));
        assertTrue(missing.getMessage().startsWith("Cannot read " + tmp.resolve("none.csv")));
        Path empty = tmp.resolve("empty.csv");
        assertThrows(InputException.class, () -> {
            Files.writeString(empty, "");
            Csv.read(empty);
        });
    }
}
