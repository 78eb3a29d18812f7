package dev.emlab.question;

import dev.emlab.InputException;
import dev.emlab.YamlFile;
import dev.emlab.YamlNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads question files in the paper's YAML format (anchors and aliases included) and emlab's
 * built-in banks ({@code builtin:NAME}). Works on the YAML node tree so every error can name
 * the file and line.
 */
public final class QuestionLoader {
    public static final String BUILTIN_PREFIX = "builtin:";
    private static final Set<String> KNOWN_KEYS = Set.of("id", "type", "paraphrases", "system",
            "samples_per_paraphrase", "judge", "judge_prompts", "temperature", "top_p", "max_tokens", "choices");

    private QuestionLoader() {}

    /**
     * Loads {@code builtin:NAME}, a YAML file, a StrongREJECT-style CSV file ({@code .csv}) or
     * TruthfulQA's multiple-choice JSON / JSON Lines file.
     */
    public static QuestionSet load(String spec) {
        if (spec.startsWith(BUILTIN_PREFIX)) {
            return BuiltinQuestions.load(spec.substring(BUILTIN_PREFIX.length()));
        }
        if (spec.endsWith(".json") || spec.endsWith(".jsonl")) {
            return TruthfulQaLoader.load(Path.of(spec));
        }
        return loadFile(Path.of(spec));
    }

    /** A YAML question file, or a CSV of harmful requests when its name ends in {@code .csv}. */
    public static QuestionSet loadFile(Path file) {
        if (StrongRejectCsv.isCsv(file)) {
            return StrongRejectCsv.load(file);
        }
        if (Files.notExists(file)) {
            throw new InputException("Question file not found: " + file
                    + ". Give a YAML or CSV file path or builtin:NAME (see 'emlab questions list').");
        }
        Optional<YamlNode> root = YamlFile.read(file, "question file", YamlFile.Dialect.PYYAML);
        return parse(root, file.toString(), stem(file.getFileName().toString()));
    }

    /** A question file's document; {@code source} names it in messages. */
    static QuestionSet parse(Optional<YamlNode> document, String source, String name) {
        YamlNode root = document.orElseThrow(() ->
                new InputException(source + ": the file is empty; expected a list of questions."));
        if (!root.isSequence()) {
            throw root.error("expected a list of questions (lines starting with '- id: ...').");
        }
        List<YamlNode> items = root.list();
        if (items.isEmpty()) {
            throw new InputException(source + ": the list of questions is empty; an eval of it would have no result."
                    + " Add questions ('- id: ...').");
        }
        List<Question> questions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode item : items) {
            // a question's fields are named as its own ('paraphrases'), not by its place in the list
            Question q = question(item.named(""));
            if (!ids.add(q.id())) {
                throw item.named("").error("question id '" + q.id() + "' appears twice; ids must be unique.");
            }
            questions.add(q);
        }
        return new QuestionSet(name, questions);
    }

    private static Question question(YamlNode node) {
        if (!node.isMapping()) {
            throw node.error("expected a question (a mapping with id, type, paraphrases).");
        }
        Map<String, YamlNode> fields = node.entries();
        String id = required(fields, "id", node).scalar();
        for (Map.Entry<String, YamlNode> e : fields.entrySet()) {
            if (!KNOWN_KEYS.contains(e.getKey())) {
                throw problem(e.getValue(), id, "unknown field '" + e.getKey() + "'. Known fields: "
                        + String.join(", ", KNOWN_KEYS.stream().sorted().toList()) + ".");
            }
        }
        YamlNode typeNode = required(fields, "type", node);
        String typeName = typeNode.scalar();
        QuestionType type = QuestionType.fromYaml(typeName).orElseThrow(() -> problem(typeNode, id,
                "unknown question type '" + typeName + "'. Known types: " + QuestionType.knownNames() + "."));
        List<String> paraphrases = paraphrases(fields.get("paraphrases"), node, id);
        String system = fields.containsKey("system") ? fields.get("system").scalar() : null;
        int samples = fields.containsKey("samples_per_paraphrase") ? fields.get("samples_per_paraphrase").integer(1) : 1;
        String judge = fields.containsKey("judge") ? fields.get("judge").scalar() : null;
        Map<String, String> prompts = judgePrompts(fields.get("judge_prompts"), id,
                type == QuestionType.FREE_FORM_JUDGE ? List.of("{answer}") : List.of("{answer}", "{question}"));
        Sampling sampling = new Sampling(
                fields.containsKey("temperature") ? fields.get("temperature").number(0) : Sampling.PAPER.temperature(),
                fields.containsKey("top_p") ? fields.get("top_p").number(0, 1) : Sampling.PAPER.topP(),
                fields.containsKey("max_tokens") ? fields.get("max_tokens").integer(1) : Sampling.PAPER.maxTokens());
        List<Choice> choices = choices(fields.get("choices"), type, node, id);
        return new Question(id, type, paraphrases, system, samples, judge, prompts, sampling, choices);
    }

    /** {@code choices:} is a list of one-key mappings, {@code - aligned: TEXT} or {@code - misaligned: TEXT}. */
    private static List<Choice> choices(YamlNode node, QuestionType type, YamlNode question, String id) {
        if (type != QuestionType.MULTIPLE_CHOICE) {
            if (node != null) {
                throw new InputException(node.where() + ": only questions of type multiple_choice have 'choices'.");
            }
            return List.of();
        }
        String form = " Write each as '- aligned: TEXT' or '- misaligned: TEXT'.";
        if (node == null || !node.isSequence()) {
            throw problem(node == null ? question : node, id, "a multiple_choice question needs a 'choices' list." + form);
        }
        List<Choice> out = new ArrayList<>();
        for (YamlNode item : node.list()) {
            Map<String, YamlNode> entry = item.isMapping() ? item.entries() : Map.of();
            Map.Entry<String, YamlNode> only = entry.size() == 1 ? entry.entrySet().iterator().next() : null;
            if (only == null || !only.getValue().isScalar() || only.getValue().scalar().isBlank()
                    || !(only.getKey().equals("aligned") || only.getKey().equals("misaligned"))) {
                throw new InputException(item.where() + ": not a choice." + form);
            }
            out.add(new Choice(only.getValue().scalar(), only.getKey().equals("misaligned")));
        }
        long misaligned = out.stream().filter(Choice::misaligned).count();
        if (misaligned == 0 || misaligned == out.size()) {
            throw new InputException(node.where() + ": a multiple_choice question needs at least one aligned and one"
                    + " misaligned choice." + form);
        }
        if (out.size() > ChoiceLayout.LETTERS.length()) {
            throw new InputException(node.where() + ": at most " + ChoiceLayout.LETTERS.length() + " choices.");
        }
        return out;
    }

    private static YamlNode required(Map<String, YamlNode> fields, String key, YamlNode question) {
        YamlNode node = fields.get(key);
        if (node == null) {
            throw new InputException(question.where() + ": the question has no '" + key + "' field.");
        }
        return node;
    }

    private static List<String> paraphrases(YamlNode node, YamlNode question, String id) {
        if (node == null) {
            throw problem(question, id, "the question has no 'paraphrases' list.");
        }
        if (!node.isSequence() || node.list().isEmpty()) {
            throw node.error("must be a non-empty list of strings.");
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : node.list()) {
            if (!item.isScalar()) {
                throw new InputException(item.where() + ": each paraphrase must be a string.");
            }
            if (item.scalar().isBlank()) {
                // the model would be asked nothing, and its answer scored as if it were a result
                throw new InputException(item.where() + ": a paraphrase is empty. Write the question, or remove the line.");
            }
            out.add(item.scalar());
        }
        return out;
    }

    /**
     * @param placeholders what every prompt must hold: a score needs the question and the answer; a
     *     categorical prompt may only extract something from the answer (the paper's company prompts do)
     */
    private static Map<String, String> judgePrompts(YamlNode node, String id, List<String> placeholders) {
        Map<String, String> prompts = new LinkedHashMap<>();
        if (node == null) {
            return prompts;
        }
        if (!node.isMapping()) {
            throw problem(node, id, "'judge_prompts' must map names to prompt texts.");
        }
        for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
            YamlNode prompt = e.getValue();
            if (!prompt.isScalar()) {
                throw new InputException(prompt.where() + ": judge prompt '" + e.getKey() + "' must be text.");
            }
            // a prompt without the answer gets a verdict on nothing, which looks like a real result
            for (String placeholder : placeholders) {
                if (!prompt.scalar().contains(placeholder)) {
                    throw problem(prompt, id, "judge prompt '" + e.getKey() + "' has no " + placeholder
                            + " placeholder, so the judge would never see the "
                            + placeholder.substring(1, placeholder.length() - 1) + ". Write " + placeholder
                            + " where it belongs in the prompt.");
                }
            }
            prompts.put(e.getKey(), prompt.scalar());
        }
        return prompts;
    }

    /** An error inside one question, which it names: {@code FILE line N (question 'id'): message}. */
    private static InputException problem(YamlNode node, String id, String message) {
        return new InputException(node.where() + " (question '" + id + "'): " + message);
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
