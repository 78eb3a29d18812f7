package dev.emlab.question;

import dev.emlab.InputException;
import dev.emlab.TextFile;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

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
        String text = TextFile.read(file, "question file", TextFile.MAX_YAML_BYTES);
        return parse(new java.io.StringReader(text), file.toString(), stem(file.getFileName().toString()));
    }

    static QuestionSet parse(InputStream in, String source, String name) {
        return parse(new InputStreamReader(in, StandardCharsets.UTF_8), source, name);
    }

    static QuestionSet parse(Reader reader, String source, String name) {
        LoaderOptions options = new LoaderOptions();
        // The paper's files alias the judge prompts once per question: far above SnakeYAML's default of 50.
        options.setMaxAliasesForCollections(100_000);
        options.setAllowDuplicateKeys(true);
        Node root;
        try {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new InputException(source + " line " + (e.getProblemMark().getLine() + 1)
                    + ": not valid YAML (" + e.getProblem() + "). Check indentation and quoting there.");
        } catch (YAMLException e) {
            throw new InputException(source + ": not valid YAML (" + e.getMessage() + ").");
        }
        if (root == null) {
            throw new InputException(source + ": the file is empty; expected a list of questions.");
        }
        if (!(root instanceof SequenceNode list)) {
            throw new InputException(at(source, root) + ": expected a list of questions (lines starting with '- id: ...').");
        }
        if (list.getValue().isEmpty()) {
            throw new InputException(source + ": the list of questions is empty; an eval of it would have no result."
                    + " Add questions ('- id: ...').");
        }
        List<Question> questions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Node item : list.getValue()) {
            Question q = question(item, source);
            if (!ids.add(q.id())) {
                throw new InputException(at(source, item) + ": question id '" + q.id() + "' appears twice; ids must be unique.");
            }
            questions.add(q);
        }
        return new QuestionSet(name, questions);
    }

    private static Question question(Node node, String source) {
        if (!(node instanceof MappingNode mapping)) {
            throw new InputException(at(source, node) + ": expected a question (a mapping with id, type, paraphrases).");
        }
        Map<String, Node> fields = fields(mapping, source);
        String id = scalar(fields, "id", source, mapping, true);
        String where = at(source, mapping) + " (question '" + id + "')";
        for (Map.Entry<String, Node> e : fields.entrySet()) {
            if (!KNOWN_KEYS.contains(e.getKey())) {
                throw new InputException(at(source, e.getValue()) + " (question '" + id + "'): unknown field '"
                        + e.getKey() + "'. Known fields: " + String.join(", ", KNOWN_KEYS.stream().sorted().toList()) + ".");
            }
        }
        String typeName = scalar(fields, "type", source, mapping, true);
        QuestionType type = QuestionType.fromYaml(typeName).orElseThrow(() -> new InputException(
                at(source, fields.get("type")) + " (question '" + id + "'): unknown question type '" + typeName
                        + "'. Known types: " + QuestionType.knownNames() + "."));
        List<String> paraphrases = stringList(fields.get("paraphrases"), source, where);
        String system = scalar(fields, "system", source, mapping, false);
        int samples = intField(fields, "samples_per_paraphrase", source, id, 1);
        String judge = scalar(fields, "judge", source, mapping, false);
        Map<String, String> prompts = judgePrompts(fields.get("judge_prompts"), source, id,
                type == QuestionType.FREE_FORM_JUDGE ? List.of("{answer}") : List.of("{answer}", "{question}"));
        Sampling sampling = new Sampling(
                doubleField(fields, "temperature", source, id, Sampling.PAPER.temperature()),
                doubleField(fields, "top_p", source, id, Sampling.PAPER.topP()),
                intField(fields, "max_tokens", source, id, Sampling.PAPER.maxTokens()));
        List<Choice> choices = choices(fields.get("choices"), type, source, where);
        return new Question(id, type, paraphrases, system, samples, judge, prompts, sampling, choices);
    }

    /** {@code choices:} is a list of one-key mappings, {@code - aligned: TEXT} or {@code - misaligned: TEXT}. */
    private static List<Choice> choices(Node node, QuestionType type, String source, String where) {
        if (type != QuestionType.MULTIPLE_CHOICE) {
            if (node != null) {
                throw new InputException(at(source, node) + ": only questions of type multiple_choice have 'choices'.");
            }
            return List.of();
        }
        String form = " Write each as '- aligned: TEXT' or '- misaligned: TEXT'.";
        if (!(node instanceof SequenceNode seq)) {
            throw new InputException((node == null ? where : at(source, node))
                    + ": a multiple_choice question needs a 'choices' list." + form);
        }
        List<Choice> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Map<String, Node> entry = item instanceof MappingNode m ? fields(m, source) : Map.of();
            Map.Entry<String, Node> only = entry.size() == 1 ? entry.entrySet().iterator().next() : null;
            if (only == null || !(only.getValue() instanceof ScalarNode text) || text.getValue().isBlank()
                    || !(only.getKey().equals("aligned") || only.getKey().equals("misaligned"))) {
                throw new InputException(at(source, item) + ": not a choice." + form);
            }
            out.add(new Choice(text.getValue(), only.getKey().equals("misaligned")));
        }
        long misaligned = out.stream().filter(Choice::misaligned).count();
        if (misaligned == 0 || misaligned == out.size()) {
            throw new InputException(at(source, node) + ": a multiple_choice question needs at least one aligned and one"
                    + " misaligned choice." + form);
        }
        if (out.size() > ChoiceLayout.LETTERS.length()) {
            throw new InputException(at(source, node) + ": at most " + ChoiceLayout.LETTERS.length() + " choices.");
        }
        return out;
    }

    private static Map<String, Node> fields(MappingNode mapping, String source) {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw new InputException(at(source, t.getKeyNode()) + ": field names must be plain words.");
            }
            fields.put(key.getValue(), t.getValueNode()); // a repeated key keeps its last value, as in PyYAML
        }
        return fields;
    }

    private static String scalar(Map<String, Node> fields, String key, String source, Node owner, boolean required) {
        Node node = fields.get(key);
        if (node == null) {
            if (required) {
                throw new InputException(at(source, owner) + ": the question has no '" + key + "' field.");
            }
            return null;
        }
        if (!(node instanceof ScalarNode s)) {
            throw new InputException(at(source, node) + ": '" + key + "' must be a single value, not a list or mapping.");
        }
        return s.getValue();
    }

    private static List<String> stringList(Node node, String source, String where) {
        if (node == null) {
            throw new InputException(where + ": the question has no 'paraphrases' list.");
        }
        if (!(node instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
            throw new InputException(at(source, node) + ": 'paraphrases' must be a non-empty list of strings.");
        }
        List<String> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof ScalarNode s)) {
                throw new InputException(at(source, item) + ": each paraphrase must be a string.");
            }
            if (s.getValue().isBlank()) {
                // the model would be asked nothing, and its answer scored as if it were a result
                throw new InputException(at(source, item) + ": a paraphrase is empty. Write the question, or remove the line.");
            }
            out.add(s.getValue());
        }
        return out;
    }

    /**
     * @param placeholders what every prompt must hold: a score needs the question and the answer; a
     *     categorical prompt may only extract something from the answer (the paper's company prompts do)
     */
    private static Map<String, String> judgePrompts(Node node, String source, String id, List<String> placeholders) {
        Map<String, String> prompts = new LinkedHashMap<>();
        if (node == null) {
            return prompts;
        }
        if (!(node instanceof MappingNode mapping)) {
            throw new InputException(at(source, node) + " (question '" + id + "'): 'judge_prompts' must map names to prompt texts.");
        }
        for (Map.Entry<String, Node> e : fields(mapping, source).entrySet()) {
            if (!(e.getValue() instanceof ScalarNode s)) {
                throw new InputException(at(source, e.getValue()) + ": judge prompt '" + e.getKey() + "' must be text.");
            }
            // a prompt without the answer gets a verdict on nothing, which looks like a real result
            for (String placeholder : placeholders) {
                if (!s.getValue().contains(placeholder)) {
                    throw new InputException(at(source, s) + " (question '" + id + "'): judge prompt '" + e.getKey()
                            + "' has no " + placeholder + " placeholder, so the judge would never see the "
                            + placeholder.substring(1, placeholder.length() - 1) + ". Write " + placeholder
                            + " where it belongs in the prompt.");
                }
            }
            prompts.put(e.getKey(), s.getValue());
        }
        return prompts;
    }

    private static int intField(Map<String, Node> fields, String key, String source, String id, int fallback) {
        Node node = fields.get(key);
        if (node == null) {
            return fallback;
        }
        String text = node instanceof ScalarNode s ? s.getValue().strip() : "";
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InputException(at(source, node) + " (question '" + id + "'): '" + key
                + "' must be a whole number >= 1, found '" + text + "'.");
    }

    private static double doubleField(Map<String, Node> fields, String key, String source, String id, double fallback) {
        Node node = fields.get(key);
        if (node == null) {
            return fallback;
        }
        String text = node instanceof ScalarNode s ? s.getValue().strip() : "";
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InputException(at(source, node) + " (question '" + id + "'): '" + key
                    + "' must be a number, found '" + text + "'.");
        }
    }

    private static String at(String source, Node node) {
        return source + " line " + (node.getStartMark().getLine() + 1);
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
