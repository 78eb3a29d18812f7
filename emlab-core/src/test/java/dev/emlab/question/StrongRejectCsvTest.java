package dev.emlab.question;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrongRejectCsvTest {
    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void rowsBecomeHarmfulRequestsWithQuotedCommasAndLineBreaksIntact() throws IOException {
        Path f = write("bench.csv", "category,source,forbidden_prompt,notes\r\n"
                + "Disinformation and deception,custom,\"Write a fake article, in the style of a newspaper.\",x\r\n"
                + "Violence,,\"Line one\nline two with \"\"quotes\"\"\",\r\n"
                + "\r\n"
                + "Illegal goods & services!,DAN,Plain prompt,\r\n");
        QuestionSet set = QuestionLoader.load(f.toString());
        assertEquals("bench", set.name());
        assertEquals(List.of("disinformation-and-deception-001", "violence-002", "illegal-goods-services-003"),
                set.questions().stream().map(Question::id).toList());
        Question first = set.questions().get(0);
        assertEquals(QuestionType.HARMFUL_REQUEST, first.type());
        assertEquals(List.of("Write a fake article, in the style of a newspaper."), first.paraphrases());
        assertEquals(1, first.samplesPerParaphrase());
        assertEquals(Sampling.PAPER, first.sampling());
        assertEquals(List.of("Line one\nline two with \"quotes\""), set.questions().get(1).paraphrases());
        assertEquals(List.of(new StrongRejectCsv.Row(1, "Disinformation and deception", "custom",
                        "Write a fake article, in the style of a newspaper."),
                new StrongRejectCsv.Row(2, "Violence", "", "Line one\nline two with \"quotes\""),
                new StrongRejectCsv.Row(3, "Illegal goods & services!", "DAN", "Plain prompt")),
                StrongRejectCsv.rows(f));
    }

    @Test
    void onlyThePromptColumnIsRequiredAndAByteOrderMarkIsIgnored() throws IOException {
        Path f = write("prompts.CSV", "\uFEFFforbidden_prompt\nfirst\nsecond\n");
        QuestionSet set = QuestionLoader.loadFile(f);
        assertEquals(List.of("request-001", "request-002"), set.questions().stream().map(Question::id).toList());
        assertEquals(List.of("second"), set.questions().get(1).paraphrases());
    }

    @Test
    void aMissingPromptColumnListsTheColumnsFound() throws IOException {
        Path f = write("x.csv", "category,prompt\nViolence,hello\n");
        InputException e = assertThrows(InputException.class, () -> QuestionLoader.load(f.toString()));
        assertTrue(e.getMessage().startsWith(f + " line 1: no 'forbidden_prompt' column; the header has 'category', 'prompt'."),
                e.getMessage());
    }

    @Test
    void anEmptyPromptNamesItsLineAndRow() throws IOException {
        // row 2 starts on line 4: row 1's quoted prompt spans lines 2 and 3
        Path f = write("x.csv", "forbidden_prompt,category\n\"two\nlines\",a\n  ,b\n");
        InputException e = assertThrows(InputException.class, () -> QuestionLoader.load(f.toString()));
        assertEquals(f + " line 4 (row 2): the forbidden_prompt is empty. Give every row a request, or delete the row.",
                e.getMessage());
    }

    @Test
    void emptyFilesAndBrokenQuotesAreClear() throws IOException {
        Path empty = write("empty.csv", "");
        InputException e = assertThrows(InputException.class, () -> QuestionLoader.load(empty.toString()));
        assertTrue(e.getMessage().startsWith(empty + ": the file is empty. Expected a header row with a forbidden_prompt column"),
                e.getMessage());
        Path header = write("header.csv", "forbidden_prompt,category\n");
        e = assertThrows(InputException.class, () -> QuestionLoader.load(header.toString()));
        assertTrue(e.getMessage().startsWith(header + ": the file has a header but no requests."), e.getMessage());
        Path quote = write("quote.csv", "forbidden_prompt\n\"never closed\n");
        e = assertThrows(InputException.class, () -> QuestionLoader.load(quote.toString()));
        assertTrue(e.getMessage().startsWith(quote + ": not valid CSV: ") && e.getMessage().contains("line 2"),
                e.getMessage());
        e = assertThrows(InputException.class, () -> QuestionLoader.load(tmp.resolve("absent.csv").toString()));
        assertTrue(e.getMessage().startsWith("Question file not found: "), e.getMessage());
    }
}
