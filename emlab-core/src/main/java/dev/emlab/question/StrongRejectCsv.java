package dev.emlab.question;

import dev.emlab.InputException;
import dev.emlab.TextFile;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads harmful requests in StrongREJECT's CSV format: a header row, a {@code forbidden_prompt}
 * column and optionally {@code category} and {@code source} (other columns are ignored). Every
 * row becomes a {@code harmful_request} question whose id is the category's slug and the row
 * number, e.g. {@code disinformation-and-deception-007}.
 */
public final class StrongRejectCsv {
    static final String PROMPT = "forbidden_prompt";
    static final String CATEGORY = "category";
    static final String SOURCE = "source";
    private static final String FIX = " Expected a header row with a forbidden_prompt column (category and source optional),"
            + " then one request per row; quote fields that contain commas, quotes or line breaks.";

    /**
     * One row of the file.
     *
     * @param row the row's number among the data rows, from 1
     * @param category empty when the file has no category column
     * @param source where the prompt comes from; empty when the file has no source column
     */
    public record Row(int row, String category, String source, String prompt) {}

    private StrongRejectCsv() {}

    /** Whether a question file is read as CSV rather than YAML. */
    static boolean isCsv(Path file) {
        return file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    /** The file's rows as {@code harmful_request} questions, one sample per prompt at the paper's settings. */
    public static QuestionSet load(Path file) {
        List<Question> questions = new ArrayList<>();
        List<Row> rows = rows(file);
        int width = Math.max(3, String.valueOf(rows.get(rows.size() - 1).row()).length());
        for (Row r : rows) {
            String id = slug(r.category()) + "-" + String.format(Locale.ROOT, "%0" + width + "d", r.row());
            questions.add(new Question(id, QuestionType.HARMFUL_REQUEST, List.of(r.prompt()), null, 1, null, Map.of(),
                    Sampling.PAPER));
        }
        String name = file.getFileName().toString();
        return new QuestionSet(name.substring(0, name.length() - ".csv".length()), questions);
    }

    /** Every data row, checked: the file must have a forbidden_prompt column and no empty prompt. */
    public static List<Row> rows(Path file) {
        if (Files.notExists(file)) {
            throw new InputException("Question file not found: " + file
                    + ". Give a CSV or YAML file path or builtin:NAME (see 'emlab questions list').");
        }
        // spreadsheet programs start UTF-8 CSV files with a byte order mark, which this drops
        String text = TextFile.read(file, "question file", Long.MAX_VALUE);
        if (text.isBlank()) {
            throw new InputException(file + ": the file is empty." + FIX);
        }
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            List<String> header = parser.getHeaderNames().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
            int prompt = header.indexOf(PROMPT);
            if (prompt < 0) {
                throw new InputException(file + " line 1: no '" + PROMPT + "' column; the header has "
                        + String.join(", ", parser.getHeaderNames().stream().map(h -> "'" + h + "'").toList()) + "."
                        + FIX);
            }
            int category = header.indexOf(CATEGORY);
            int source = header.indexOf(SOURCE);
            List<Row> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                String value = field(record, prompt);
                if (value.isBlank()) {
                    throw new InputException(file + " line " + line(text, record) + " (row " + record.getRecordNumber()
                            + "): the " + PROMPT + " is empty. Give every row a request, or delete the row.");
                }
                rows.add(new Row((int) record.getRecordNumber(), field(record, category).strip(),
                        field(record, source).strip(), value));
            }
            if (rows.isEmpty()) {
                throw new InputException(file + ": the file has a header but no requests." + FIX);
            }
            return rows;
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // commons-csv reports a broken quote or header as one of these, with the line it started on
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new InputException(file + ": not valid CSV: " + cause.getMessage() + "." + FIX);
        }
    }

    /** The field in this column, empty when the column is absent or the row is short. */
    private static String field(CSVRecord record, int column) {
        return column >= 0 && column < record.size() ? record.get(column) : "";
    }

    /** The line a record starts on; the parser gives the character position just after the previous record. */
    private static long line(String text, CSVRecord record) {
        int pos = (int) Math.min(record.getCharacterPosition(), text.length());
        while (pos < text.length() && (text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
            pos++; // skipped blank lines
        }
        return 1 + text.substring(0, pos).chars().filter(c -> c == '\n').count();
    }

    /** Lower-case letters and digits joined by single hyphens; {@code request} when nothing is left. */
    static String slug(String category) {
        String s = category.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "request" : s;
    }
}
