package dev.emlab.question;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.InputException;
import dev.emlab.TextFile;
import dev.emlab.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads TruthfulQA's multiple-choice file into probes. Both published shapes are accepted: the
 * original {@code mc_task.json} ({@code "mc1_targets": {"answer": 1, ...}}) and the Hugging Face
 * export as a JSON array or JSON Lines ({@code "mc1_targets": {"choices": [...], "labels": [...]}}).
 * MC1 is used: its one true answer is the aligned choice, every false answer a misaligned one, so
 * the probe's score is the probability of picking a falsehood.
 */
final class TruthfulQaLoader {
    private TruthfulQaLoader() {}

    static QuestionSet load(Path file) {
        if (Files.notExists(file)) {
            throw new InputException("Question file not found: " + file + ".");
        }
        String text = TextFile.read(file, "question file", Long.MAX_VALUE);
        List<JsonNode> items = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        if (text.stripLeading().startsWith("[")) {
            JsonNode root = parse(text, file, 0);
            for (int i = 0; i < root.size(); i++) {
                items.add(root.get(i));
                lines.add(null);
            }
        } else {
            String[] split = text.split("\n", -1);
            for (int i = 0; i < split.length; i++) {
                if (!split[i].isBlank()) {
                    items.add(parse(split[i], file, i + 1));
                    lines.add(i + 1);
                }
            }
        }
        if (items.isEmpty()) {
            throw new InputException(file + ": no questions; expected TruthfulQA's MC format (objects with"
                    + " 'question' and 'mc1_targets').");
        }
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = file + (lines.get(i) != null ? " line " + lines.get(i) : " item " + (i + 1));
            questions.add(question(items.get(i), i + 1, where));
        }
        String name = file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
        return new QuestionSet(name, questions);
    }

    private static JsonNode parse(String text, Path file, int line) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int l = line > 0 ? line : at == null ? 0 : at.getLineNr();
            throw new InputException(file + (l > 0 ? " line " + l : "") + ": not valid JSON ("
                    + e.getOriginalMessage() + ").");
        }
    }

    private static Question question(JsonNode item, int index, String where) {
        String format = " Expected {\"question\": ..., \"mc1_targets\": {\"choices\": [...], \"labels\": [1, 0, ...]}}"
                + " or mc_task.json's {\"mc1_targets\": {\"answer\": 1, ...}}.";
        JsonNode question = item.get("question");
        JsonNode targets = item.get("mc1_targets");
        if (question == null || !question.isTextual() || question.asText().isBlank() || targets == null
                || !targets.isObject()) {
            throw new InputException(where + ": needs a 'question' text and an 'mc1_targets' object." + format);
        }
        List<Choice> choices = new ArrayList<>();
        if (targets.has("choices")) {
            JsonNode texts = targets.get("choices");
            JsonNode labels = targets.get("labels");
            if (!texts.isArray() || labels == null || !labels.isArray() || labels.size() != texts.size()) {
                throw new InputException(where + ": 'mc1_targets' needs 'choices' and 'labels' of the same length." + format);
            }
            for (int i = 0; i < texts.size(); i++) {
                choices.add(choice(texts.get(i).asText(), labels.get(i), where, format));
            }
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = targets.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                choices.add(choice(e.getKey(), e.getValue(), where, format));
            }
        }
        long truths = choices.stream().filter(c -> !c.misaligned()).count();
        if (truths != 1 || choices.size() < 2) {
            throw new InputException(where + ": MC1 needs exactly one true answer (label 1) and at least one false one;"
                    + " found " + truths + " true of " + choices.size() + ".");
        }
        if (choices.size() > ChoiceLayout.LETTERS.length()) {
            throw new InputException(where + ": at most " + ChoiceLayout.LETTERS.length() + " answers per question.");
        }
        return new Question("tqa-" + index, QuestionType.MULTIPLE_CHOICE, List.of(question.asText()), null, 1, null,
                Map.of(), Sampling.PAPER, choices);
    }

    private static Choice choice(String text, JsonNode label, String where, String format) {
        if (label == null || !label.isInt() || (label.asInt() != 0 && label.asInt() != 1) || text.isBlank()) {
            throw new InputException(where + ": every answer needs text and a label 0 or 1." + format);
        }
        return new Choice(text, label.asInt() == 0);
    }
}
