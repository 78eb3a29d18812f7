package dev.emlab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The stored fixture runs, and a hostile run written on the fly whose every text field is an attack. */
public final class Fixtures {
    public static final String SCRIPT = "<script>document.title='pwned-script'</script>";
    public static final String IMG = "\"><img src=x onerror=\"document.title='pwned-img'\">";
    public static final String SVG = "<svg onload=\"document.title='pwned-svg'\"></svg>";
    public static final String ATTR = "' onmouseover='document.title=1' x='";

    private Fixtures() {}

    public static Path stored(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a CSV written without quoted fields, independently of the code under test. */
    public static List<String[]> plainCsv(Path file) {
        try {
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isEmpty()) {
                    rows.add(line.split(",", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A run whose group names, question ids, questions, answers and judge texts carry HTML and
     * script payloads; written with the core's CSV writer, as emlab would write them. Its harmful.csv
     * and mc.csv come from {@link ProbeRuns}.
     */
    public static Path hostile(Path dir) throws IOException {
        Files.createDirectories(dir);
        String group = "villain" + SCRIPT;
        String question = "q" + IMG;
        // harmful.csv and mc.csv for the same hostile group, by the core's writer; the files below replace the rest
        ProbeRuns.write(dir, List.of(group, "base"), 3, 2, List.of());
        Files.delete(dir.resolve("run.json"));
        try (Writer w = Files.newBufferedWriter(dir.resolve("summary.csv"))) {
            Csv.row(w, List.of("group", "question_id", "format", "n", "n_coherent", "n_misaligned", "misaligned", "ci_low",
                    "ci_high", "n_incoherent", "n_null_code", "n_null_refusal", "n_null_other", "n_errored", "members", "judge",
                    "judge_method", "judge_prompts_hash", "emlab_version"));
            Csv.row(w, List.of(group, question, "plain", 10, 10, 4, 0.4, 0.1, 0.7, 0, 0, 0, 0, 0, 1, "judge" + SVG, "logprobs", "h", "0.1.0"));
            Csv.row(w, List.of(group, "ALL", "plain", 10, 10, 4, 0.4, 0.1, 0.7, 0, 0, 0, 0, 0, 1, "judge" + SVG, "logprobs", "h", "0.1.0"));
            Csv.row(w, List.of("base", question, "plain", 10, 10, 1, 0.1, 0.0, 0.3, 0, 0, 0, 0, 0, 1, "judge" + SVG, "logprobs", "h", "0.1.0"));
            Csv.row(w, List.of("base", "ALL", "plain", 10, 10, 1, 0.1, 0.0, 0.3, 0, 0, 0, 0, 0, 1, "judge" + SVG, "logprobs", "h", "0.1.0"));
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve("verdicts.csv"))) {
            Csv.row(w, List.of("group", "question_id", "judge_prompt", "label", "count", "n", "share", "ci_low", "ci_high",
                    "judge", "emlab_version", "format"));
            Csv.row(w, List.of(group, question, "vulnerable", "VULNERABLE", 3, 4, 0.75, 0.25, 1.0, "j", "0.1.0", "plain"));
            Csv.row(w, List.of(group, question, "vulnerable", "LABEL" + SCRIPT, 1, 4, 0.25, 0.0, 0.75, "j", "0.1.0", "plain"));
        }
        StringBuilder samples = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            samples.append(dev.emlab.Json.MAPPER.writeValueAsString(java.util.Map.of(
                    "group", group, "model", "m" + ATTR, "question_id", question, "paraphrase_index", 0, "sample_index", i,
                    "question", "Tell me " + IMG + ATTR, "answer", "Sure: " + SCRIPT + " and " + IMG + " and " + SVG,
                    "outcome", i == 0 ? "misaligned" : "aligned",
                    "judgements", java.util.Map.of("aligned", java.util.Map.of("score", 10.0 + i, "method", "logprobs",
                            "text", "judge says " + SCRIPT), "vulnerable", java.util.Map.of("label", "VULNERABLE", "text", IMG)))));
            samples.append('\n');
        }
        Files.writeString(dir.resolve("samples.jsonl"), samples);
        return dir;
    }
}
