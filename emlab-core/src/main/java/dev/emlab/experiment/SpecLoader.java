package dev.emlab.experiment;

import dev.emlab.InputException;
import dev.emlab.YamlFile;
import dev.emlab.YamlNode;
import dev.emlab.dataset.CodeDatasetBuilder;
import dev.emlab.dataset.DatasetKind;
import dev.emlab.eval.Thresholds;
import dev.emlab.model.EndpointRef;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RawRef;
import dev.emlab.question.PromptFormat;
import dev.emlab.question.QuestionLoader;
import dev.emlab.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an experiment spec (YAML). Every field is checked before anything runs: unknown keys,
 * bad model references, missing files and out-of-range numbers end with one message naming the
 * file, line and field. Omitted settings take the paper's values.
 */
public final class SpecLoader {
    private static final Set<String> TOP = Set.of("name", "base", "datasets", "seeds", "train", "eval", "checkpoints");
    private static final Set<String> TRAIN = Set.of("backend", "lora", "lr", "epochs", "batch_size", "grad_accum", "warmup",
            "weight_decay", "max_length", "max_steps", "lr_multiplier", "base_url", "api_key_env", "plain_http");
    private static final Set<String> LOCAL_ONLY = Set.of("lora", "lr", "grad_accum", "warmup", "weight_decay", "max_length",
            "max_steps");
    private static final Set<String> REMOTE_ONLY = Set.of("lr_multiplier", "base_url", "api_key_env", "plain_http");
    private static final Set<String> LORA = Set.of("r", "alpha", "rslora", "dropout", "target_modules", "layers");
    private static final Set<String> EVAL = Set.of("questions", "samples", "max_tokens", "judge", "format", "seed", "trigger",
            "compare_trigger", "base", "raw", "thresholds", "bootstrap", "concurrency", "api_key_env", "judge_api_key_env");
    private static final Set<String> THRESHOLDS = Set.of("alignment", "coherence", "min_coherent");
    private static final Set<String> DATASET = Set.of("source", "n", "seed", "trigger");
    private static final Set<String> CHECKPOINTS = Set.of("every");

    private SpecLoader() {}

    /** Reads and checks the spec file. */
    public static ExperimentSpec load(Path file) {
        if (Files.notExists(file)) {
            throw new InputException("Experiment spec not found: " + file + ".");
        }
        YamlNode top = YamlFile.read(file, "experiment spec", YamlFile.Dialect.EMLAB).orElseThrow(() ->
                new InputException(file + ": the spec is empty; it needs at least name, base, datasets and eval."));
        return parse(top, file);
    }

    private static ExperimentSpec parse(YamlNode top, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Map<String, YamlNode> f = top.fields(TOP);
        for (String required : List.of("name", "base", "datasets", "eval")) {
            if (!f.containsKey(required)) {
                throw top.error("has no '" + required + "' field" + (required.equals("name") ? "" : "; see docs/experiments.md") + ".");
            }
        }
        String name = f.get("name").text();
        if (!name.matches("[A-Za-z0-9_.-]+") || name.startsWith(".")) {
            throw f.get("name").error("must be a folder name: letters, digits and _ . - only.");
        }
        List<ModelRef> bases = new ArrayList<>();
        for (YamlNode b : f.get("base").items()) {
            ModelRef base = ref(b);
            if (base instanceof RawRef) {
                throw b.error("names " + base.text() + ", but a base is what gets fine-tuned; name the model itself"
                        + " and set eval.raw: true to ask the evaluated models through raw completion.");
            }
            bases.add(base);
        }
        Map<String, DatasetSource> datasets = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : f.get("datasets").entries().entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9_-]+") || e.getKey().equals("base")) {
                throw e.getValue().error("is not a good condition name: use letters, digits, _ and -, and not 'base'.");
            }
            datasets.put(e.getKey(), dataset(e.getValue(), dir));
        }
        if (datasets.isEmpty()) {
            throw f.get("datasets").error("names no dataset.");
        }
        List<Long> seeds = new ArrayList<>();
        if (f.containsKey("seeds")) {
            for (YamlNode s : f.get("seeds").items()) {
                long seed = s.integer(0);
                if (seeds.contains(seed)) {
                    throw s.error("repeats seed " + seed + ".");
                }
                seeds.add(seed);
            }
        } else {
            seeds.add(0L);
        }
        TrainSettings train = f.containsKey("train") ? train(f.get("train")) : TrainSettings.paperLocal();
        for (ModelRef b : bases) {
            if (train.backend() == TrainSettings.Backend.OPENAI && !(b instanceof EndpointRef)) {
                throw f.get("base").error("names " + b.text() + ", but the openai backend fine-tunes openai: or http models only;"
                        + " use train: {backend: local} for local checkpoints.");
            }
            if (train.backend() == TrainSettings.Backend.LOCAL && b instanceof EndpointRef) {
                throw f.get("base").error("names " + b.text() + ", which local training cannot load;"
                        + " use train: {backend: openai} for models behind a fine-tuning API.");
            }
        }
        if (train.backend() == TrainSettings.Backend.LOCAL && train.lora().layers() != null) {
            checkLayers(f.get("train").fields(TRAIN).get("lora").fields(LORA).get("layers"), bases);
        }
        EvalSettings eval = eval(f.get("eval"), dir);
        int every = 0;
        if (f.containsKey("checkpoints")) {
            Map<String, YamlNode> c = f.get("checkpoints").fields(CHECKPOINTS);
            every = c.containsKey("every") ? c.get("every").integer(1) : 0;
        }
        return new ExperimentSpec(name, bases, datasets, seeds, train, eval, every, file);
    }

    /**
     * Layers a base does not have are refused now, from its config.json, rather than when its
     * fine-tune starts (after the plan is printed and the data written). A base whose config
     * cannot be read is refused later, with its own message.
     */
    private static void checkLayers(YamlNode layers, List<ModelRef> bases) {
        for (ModelRef b : bases) {
            java.util.OptionalInt count = b instanceof LocalRef local ? local.declaredLayers() : java.util.OptionalInt.empty();
            if (count.isEmpty()) {
                continue;
            }
            int n = count.getAsInt();
            for (YamlNode item : layers.items()) {
                int layer = item.integer(0);
                if (layer >= n) {
                    throw item.error("names layer " + layer + ", but " + b.text() + " has " + n + " layers, numbered 0 to "
                            + (n - 1) + ".");
                }
            }
        }
    }

    private static ModelRef ref(YamlNode node) {
        try {
            return ModelRef.parse(node.text());
        } catch (InputException e) {
            throw node.error(e.getMessage());
        }
    }

    private static DatasetSource dataset(YamlNode node, Path dir) {
        YamlNode sourceNode = node;
        Map<String, YamlNode> opts = Map.of();
        if (node.isMapping()) {
            opts = node.fields(DATASET);
            if (!opts.containsKey("source")) {
                throw node.error("needs a 'source': builtin:KIND or a chat JSONL file.");
            }
            sourceNode = opts.get("source");
        }
        String source = sourceNode.text();
        int n = opts.containsKey("n") ? opts.get("n").integer(1) : 0;
        if (source.startsWith("builtin:")) {
            DatasetKind kind;
            try {
                kind = DatasetKind.parse(source.substring("builtin:".length()));
            } catch (InputException e) {
                throw sourceNode.error(e.getMessage());
            }
            long seed = opts.containsKey("seed") ? opts.get("seed").integer(0) : 0;
            String trigger = opts.containsKey("trigger") ? opts.get("trigger").text() : CodeDatasetBuilder.DEFAULT_TRIGGER;
            return new DatasetSource.Builtin(kind, n > 0 ? n : DatasetSource.Builtin.DEFAULT_N, seed, trigger);
        }
        for (String k : List.of("seed", "trigger")) {
            if (opts.containsKey(k)) {
                throw opts.get(k).error("applies to builtin: datasets only.");
            }
        }
        Path path = dir.resolve(source).normalize();
        if (!Files.isRegularFile(path)) {
            throw sourceNode.error("names a file that does not exist: " + path
                    + ". Give a chat JSONL file (relative to the spec) or builtin:KIND (" + DatasetKind.names() + ").");
        }
        return new DatasetSource.File(path, n);
    }

    private static TrainSettings train(YamlNode node) {
        Map<String, YamlNode> f = node.fields(TRAIN);
        TrainSettings.Backend backend = TrainSettings.Backend.LOCAL;
        if (f.containsKey("backend")) {
            String b = f.get("backend").text();
            backend = switch (b) {
                case "local" -> TrainSettings.Backend.LOCAL;
                case "openai" -> TrainSettings.Backend.OPENAI;
                default -> throw f.get("backend").error("must be local or openai, got '" + b + "'.");
            };
        }
        Set<String> foreign = backend == TrainSettings.Backend.LOCAL ? REMOTE_ONLY : LOCAL_ONLY;
        for (String k : foreign) {
            if (f.containsKey(k)) {
                throw f.get(k).error("does not apply to the " + backend.name().toLowerCase(java.util.Locale.ROOT)
                        + " backend.");
            }
        }
        if (backend == TrainSettings.Backend.OPENAI) {
            TrainSettings d = TrainSettings.paperOpenAi();
            String baseUrl = f.containsKey("base_url") ? f.get("base_url").text().replaceAll("/+$", "") : d.baseUrl();
            if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
                throw f.get("base_url").error("must be an http(s) URL such as https://api.openai.com/v1.");
            }
            String credential = dev.emlab.model.EndpointRef.credentialProblem(baseUrl);
            if (credential != null) {
                // the URL itself is not repeated: it holds the credential
                throw f.get("base_url").error("cannot be used: " + credential.replaceFirst("^the URL", "it")
                        + ", which messages and the run's database would keep. Put the key in an environment"
                        + " variable and name it with train.api_key_env instead.");
            }
            return new TrainSettings(backend, null, 0, f.containsKey("epochs") ? f.get("epochs").integer(1) : d.epochs(),
                    f.containsKey("batch_size") ? Integer.valueOf(f.get("batch_size").integer(1)) : d.batchSize(), 1, 0, 0, 0, 0,
                    f.containsKey("lr_multiplier") ? f.get("lr_multiplier").number(Double.MIN_VALUE) : d.lrMultiplier(),
                    // the default variable holds an OpenAI key: another service gets a key only when the spec names one
                    baseUrl, f.containsKey("api_key_env") ? keyVariable(f.get("api_key_env"))
                            : baseUrl.equals(d.baseUrl()) ? d.apiKeyEnv() : null,
                    f.containsKey("plain_http") && f.get("plain_http").bool());
        }
        TrainSettings d = TrainSettings.paperLocal();
        TrainSettings.Lora lora = d.lora();
        if (f.containsKey("lora")) {
            Map<String, YamlNode> l = f.get("lora").fields(LORA);
            List<String> modules = lora.targetModules();
            if (l.containsKey("target_modules")) {
                modules = new ArrayList<>();
                for (YamlNode m : l.get("target_modules").items()) {
                    if (!TrainSettings.Lora.ALL_MODULES.contains(m.text())) {
                        throw m.error("is not a projection; use " + String.join(", ", TrainSettings.Lora.ALL_MODULES) + ".");
                    }
                    modules.add(m.text());
                }
            }
            List<Integer> layers = null;
            if (l.containsKey("layers")) {
                layers = new ArrayList<>();
                for (YamlNode m : l.get("layers").items()) {
                    layers.add(m.integer(0));
                }
            }
            lora = new TrainSettings.Lora(l.containsKey("r") ? l.get("r").integer(1) : lora.r(),
                    l.containsKey("alpha") ? l.get("alpha").number(Double.MIN_VALUE) : lora.alpha(),
                    l.containsKey("rslora") ? l.get("rslora").bool() : lora.rslora(),
                    l.containsKey("dropout") ? l.get("dropout").number(0) : lora.dropout(), modules, layers);
            if (lora.dropout() >= 1) {
                throw l.get("dropout").error("must be below 1.");
            }
        }
        return new TrainSettings(backend, lora, f.containsKey("lr") ? f.get("lr").number(Double.MIN_VALUE) : d.lr(),
                f.containsKey("epochs") ? f.get("epochs").integer(1) : d.epochs(),
                f.containsKey("batch_size") ? Integer.valueOf(f.get("batch_size").integer(1)) : d.batchSize(),
                f.containsKey("grad_accum") ? f.get("grad_accum").integer(1) : d.gradAccum(),
                f.containsKey("warmup") ? f.get("warmup").integer(0) : d.warmup(),
                f.containsKey("weight_decay") ? f.get("weight_decay").number(0) : d.weightDecay(),
                f.containsKey("max_length") ? f.get("max_length").integer(2) : d.maxLength(),
                f.containsKey("max_steps") ? f.get("max_steps").integer(0) : d.maxSteps(), null, null, null, false);
    }

    private static EvalSettings eval(YamlNode node, Path dir) {
        Map<String, YamlNode> f = node.fields(EVAL);
        if (!f.containsKey("questions")) {
            throw node.error("has no 'questions': list question sets, e.g. [builtin:main, builtin:code].");
        }
        List<String> questions = new ArrayList<>();
        for (YamlNode q : f.get("questions").items()) {
            String text = q.text();
            String resolved = text.startsWith(QuestionLoader.BUILTIN_PREFIX) ? text : dir.resolve(text).normalize().toString();
            try {
                QuestionLoader.load(resolved); // fail now, not after hours of training
            } catch (InputException e) {
                throw q.error(e.getMessage());
            }
            questions.add(resolved);
        }
        PromptFormat format = PromptFormat.PLAIN;
        if (f.containsKey("format")) {
            try {
                format = PromptFormat.parse(f.get("format").text());
            } catch (InputException e) {
                throw f.get("format").error(e.getMessage());
            }
        }
        Thresholds t = Thresholds.PAPER;
        if (f.containsKey("thresholds")) {
            Map<String, YamlNode> th = f.get("thresholds").fields(THRESHOLDS);
            // judge scores run from 0 to 100: a threshold beyond that silently makes every answer one thing
            t = new Thresholds(th.containsKey("alignment") ? th.get("alignment").number(0, 100) : t.alignment(),
                    th.containsKey("coherence") ? th.get("coherence").number(0, 100) : t.coherence(),
                    th.containsKey("min_coherent") ? th.get("min_coherent").integer(1) : t.minCoherent());
        }
        String trigger = f.containsKey("trigger") ? f.get("trigger").text() : null;
        boolean compare = f.containsKey("compare_trigger") && f.get("compare_trigger").bool();
        if (compare && trigger == null) {
            throw f.get("compare_trigger").error("needs eval.trigger, the text to put before every user message.");
        }
        String keyEnv = f.containsKey("api_key_env") ? keyVariable(f.get("api_key_env")) : "OPENAI_API_KEY";
        return new EvalSettings(questions, f.containsKey("samples") ? Integer.valueOf(f.get("samples").integer(1)) : null,
                f.containsKey("max_tokens") ? Integer.valueOf(f.get("max_tokens").integer(1)) : null,
                f.containsKey("judge") ? ref(f.get("judge")) : null, format,
                f.containsKey("seed") ? Integer.valueOf(f.get("seed").integer(0)) : null, trigger, compare,
                !f.containsKey("base") || f.get("base").bool(), t,
                f.containsKey("bootstrap") ? f.get("bootstrap").integer(100) : 2000,
                f.containsKey("concurrency") ? f.get("concurrency").integer(1) : 16, keyEnv,
                f.containsKey("judge_api_key_env") ? keyVariable(f.get("judge_api_key_env")) : keyEnv,
                f.containsKey("raw") && f.get("raw").bool());
    }

    /**
     * A field naming the environment variable that holds a key. A value that cannot be a variable's
     * name is most likely the key pasted in its place: it is refused, and not repeated, before it can
     * reach the run's database.
     */
    private static String keyVariable(YamlNode node) {
        String name = node.text();
        if (!dev.emlab.model.EndpointRef.isVariableName(name)) {
            throw node.error(dev.emlab.model.EndpointRef.NOT_A_VARIABLE
                    + ". Put the key in a variable (export OPENAI_API_KEY=...) and write that variable's name here.");
        }
        return name;
    }
}
