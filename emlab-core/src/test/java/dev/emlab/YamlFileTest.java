package dev.emlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one YAML path: what a syntax error, a typo and a repeated key say, and where. */
class YamlFileTest {
    private static YamlNode parse(String yaml, YamlFile.Dialect dialect) {
        return YamlFile.parse(yaml, "f.yaml", dialect).orElseThrow();
    }

    private static String error(Runnable read) {
        return assertThrows(InputException.class, read::run).getMessage();
    }

    @Test
    void aSyntaxErrorNamesItsLine() {
        assertEquals("f.yaml line 3: not valid YAML (mapping values are not allowed here). Check indentation and quoting"
                + " there.", error(() -> parse("a: 1\nb: 2\nc: d: e\n", YamlFile.Dialect.EMLAB)));
        assertTrue(YamlFile.parse("# nothing\n", "f.yaml", YamlFile.Dialect.EMLAB).isEmpty());
    }

    @Test
    void fieldsNameTheirPathAndTheKnownOnes() {
        YamlNode root = parse("train:\n  lora:\n    rank: 8\n", YamlFile.Dialect.EMLAB);
        assertEquals("f.yaml line 1: unknown field 'train'. Known fields: eval, name.",
                error(() -> root.fields(Set.of("name", "eval"))));
        YamlNode lora = root.entries().get("train").entries().get("lora");
        assertEquals("train.lora", lora.path());
        assertEquals("f.yaml line 3: 'train.lora' has an unknown field 'rank'. Known fields: alpha, r.",
                error(() -> lora.fields(Set.of("r", "alpha"))));
        assertEquals("f.yaml line 3: 'train.lora.rank' must be at least 16, got 8.",
                error(() -> lora.entries().get("rank").integer(16)));
        YamlNode list = parse("xs: [a, [b], '']\n", YamlFile.Dialect.EMLAB).entries().get("xs");
        assertEquals("f.yaml line 1: 'xs[1]' must be a single value, not a list or mapping.", error(list::strings));
    }

    @Test
    void aRepeatedKeyIsAnErrorInEmlabsFilesAndKeepsItsLastValueInThePapers() {
        String yaml = "a: 1\nb: 2\na: 3\n";
        assertEquals("f.yaml line 3: 'a' appears twice.", error(() -> parse(yaml, YamlFile.Dialect.EMLAB).entries()));
        YamlNode paper = parse(yaml, YamlFile.Dialect.PYYAML);
        assertEquals(List.of("a", "b"), List.copyOf(paper.entries().keySet()));
        assertEquals("3", paper.entries().get("a").scalar());
    }

    @Test
    void aliasesAreLimitedSaveInThePapersFiles() {
        StringBuilder yaml = new StringBuilder("base: &p {x: 1}\nitems:\n");
        for (int i = 0; i < 60; i++) {
            yaml.append("  - *p\n");
        }
        assertTrue(error(() -> parse(yaml.toString(), YamlFile.Dialect.EMLAB)).startsWith("f.yaml: not valid YAML ("));
        assertEquals(60, parse(yaml.toString(), YamlFile.Dialect.PYYAML).entries().get("items").list().size());
    }

    @Test
    void textOverTheCapIsRefusedUnread() {
        String big = "x".repeat((int) TextFile.MAX_YAML_BYTES + 1);
        assertEquals("big holds more than 2 MB of YAML, so it was not read. Check that this is the document you meant,"
                + " or split it.", error(() -> YamlFile.parse(big, "big", YamlFile.Dialect.EMLAB)));
    }

    @Test
    void aLoneSurrogateIsRefusedOnLoadWithItsLineAndField() {
        assertEquals("f.yaml line 3: '[0].paraphrases[0]' holds a lone UTF-16 surrogate (\\ud800 at character 4), which"
                + " is not text. Remove it or replace it with the character meant.",
                error(() -> parse("- id: q\n  type: free_form\n  paraphrases: [\"hi \\ud800\"]\n", YamlFile.Dialect.PYYAML)));
        assertTrue(error(() -> parse("a: 1\n\"k\\udc00\": 2\n", YamlFile.Dialect.EMLAB))
                .startsWith("f.yaml line 2: a field name holds a lone UTF-16 surrogate (\\udc00"));
        // a pair is one character, not a lone half
        assertEquals("\ud83d\ude00", parse("a: \"\\ud83d\\ude00\"\n", YamlFile.Dialect.EMLAB).entries().get("a").text());
    }
}
