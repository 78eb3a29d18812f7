package dev.emlab.report.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.TextFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One answer from samples.jsonl, as the report shows it. {@code index} is its 0-based position in
 * the file (the server's sample pages are addressed by it); {@code record} is the whole JSON
 * object, judge record and raw top logprobs included.
 *
 * @param outcome misaligned, aligned, incoherent, null_*, errored; null for categorical questions
 * @param scores the 0..100 judgements by judge prompt name (null when the judge gave no score)
 * @param labels the categorical judgements by judge prompt name
 */
public record SampleLine(int index, String group, String model, String questionId, String question, String answer,
                         String error, String outcome, Map<String, Double> scores, Map<String, String> labels,
                         JsonNode record) {
    /** Most misaligned first: misaligned answers, then by alignment score (lowest first), unscored last. */
    public static final Comparator<SampleLine> MOST_MISALIGNED_FIRST = Comparator
            .comparing((SampleLine s) -> !"misaligned".equals(s.outcome()))
            .thenComparing(s -> s.scores().get("aligned"), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingInt(SampleLine::index);

    /** Reads samples.jsonl; a line that is not a JSON object stops with a message naming file and line. */
    public static List<SampleLine> read(Path file) {
        List<SampleLine> out = new ArrayList<>();
        // a byte that is not UTF-8 is named with its line, as every reader of people's files does
        List<String> lines = TextFile.read(file, "samples file", Long.MAX_VALUE).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add(parse(file, i + 1, out.size(), lines.get(i)));
            }
        }
        return out;
    }

    private static SampleLine parse(Path file, int lineNo, int index, String line) {
        JsonNode o;
        try {
            o = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InputException(file + " line " + lineNo + ": not valid JSON (" + e.getOriginalMessage()
                    + "). Remove that line or write the file again with emlab.");
        }
        if (o == null || !o.isObject()) {
            throw new InputException(file + " line " + lineNo + ": expected one JSON object per line.");
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        o.path("judgements").fields().forEachRemaining(e -> {
            JsonNode j = e.getValue();
            if (j.has("label")) {
                labels.put(e.getKey(), j.get("label").asText());
            } else if (j.has("score")) {
                scores.put(e.getKey(), j.get("score").isNumber() ? j.get("score").asDouble() : null);
            }
        });
        return new SampleLine(index, text(o, "group"), text(o, "model"), text(o, "question_id"), text(o, "question"),
                text(o, "answer"), text(o, "error"), text(o, "outcome"), scores, labels, o);
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
