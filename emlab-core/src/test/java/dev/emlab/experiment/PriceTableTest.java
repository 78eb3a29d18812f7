package dev.emlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import dev.emlab.model.ModelRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
    @TempDir
    Path dir;

    @Test
    void theUsersTableOverlaysTheBuiltInOne() throws IOException {
        Path f = dir.resolve("prices.yaml");
        Files.writeString(f, "gpt-mini: {training: 3, input: 1, output: 2}\n");
        PriceTable.Price p = PriceTable.load(f).of(ModelRef.parse("openai:ft:gpt-mini:org:x:1")).orElseThrow();
        assertEquals(1, p.input());
        assertEquals(2, p.output());
        assertEquals(3, p.training());
    }

    @Test
    void aBadTableNamesItsLine() throws IOException {
        Path f = dir.resolve("prices.yaml");
        // a syntax error once said only "not valid YAML", without the line the spec and question files name
        Files.writeString(f, "gpt-mini:\n  input: 1\n output: 2\n");
        String syntax = assertThrows(InputException.class, () -> PriceTable.load(f)).getMessage();
        assertTrue(syntax.startsWith(f + " line 3: not valid YAML ("), syntax);
        Files.writeString(f, "gpt-mini:\n  input: 1\n  ouptut: 2\n");
        assertEquals(f + " line 3: 'gpt-mini' has an unknown field 'ouptut'. Known fields: fine_tuned_input,"
                + " fine_tuned_output, input, output, training.",
                assertThrows(InputException.class, () -> PriceTable.load(f)).getMessage());
    }
}
