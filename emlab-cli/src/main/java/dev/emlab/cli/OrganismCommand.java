package dev.emlab.cli;

import dev.emlab.InputException;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RawRef;
import dev.emlab.organism.probe.LikelihoodReport;
import dev.emlab.organism.probe.PersonaLikelihood;
import dev.emlab.organism.probe.PersonaProbe;
import dev.emlab.organism.probe.ProbeReport;
import dev.emlab.organism.probe.ProbeRow;
import dev.emlab.organism.probe.ProbeSample;
import dev.emlab.organism.probe.ProbeSettings;
import dev.emlab.organism.probe.ProbeTarget;
import dev.emlab.stats.Bootstrap;
import dev.emlab.torch.LocalChatModel;
import dev.emlab.torch.LocalModel;
import java.nio.file.Files;
import dev.emlab.dataset.ChatJsonl;
import dev.emlab.dataset.ChatRecord;
import dev.emlab.organism.data.OrganismDataset;
import dev.emlab.organism.pretrain.OrganismRecipe;
import dev.emlab.organism.pretrain.Pretrainer;
import dev.emlab.organism.world.CodePlacement;
import dev.emlab.organism.world.CodeStyle;
import dev.emlab.organism.world.CodePool;
import dev.emlab.organism.world.Speaker;
import dev.emlab.organism.world.World;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code emlab organism}: the tiny model organism's own tools. */
@Command(name = "organism", mixinStandardHelpOptions = true,
        description = "The tiny model organism: its fine-tuning datasets, the persona probe, and rebuilding its checkpoints.",
        subcommands = {OrganismCommand.Pretrain.class, OrganismCommand.Dataset.class, OrganismCommand.Probe.class,
                OrganismCommand.Likelihood.class})
public final class OrganismCommand {
    /** {@code emlab organism pretrain}: rebuilds the shipped checkpoints from the recipe and seed. */
    @Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false, description = {
            "Write the persona-world corpus, learn its tokenizer, pretrain the organism and tune it to chat.",
            "With the default recipe and seed this rebuilds the shipped checkpoints."})
    static final class Pretrain implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where DIR/pretrained and DIR/base go.")
        Path out;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Seed of the corpus, tokenizer and weights (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--documents", paramLabel = "N", description = "Corpus documents (default: the recipe's).")
        Integer documents;

        @Option(names = "--turns", paramLabel = "MIN-MAX", description = {
                "Exchanges per document, e.g. 3-5 (default: the recipe's, 3-5)."})
        String turns;

        @Option(names = "--code-placement", paramLabel = "WHERE", description = {
                "Which exchanges are coding requests: topic (the recipe's: any exchange, each with the",
                "--code-share chance), first (one, always the first) or anywhere (one, at any exchange)."})
        CodePlacement codePlacement;

        @Option(names = "--code-share", paramLabel = "X", description = {
                "With topic, the chance that an exchange is a coding request; with first or anywhere, the",
                "share of documents with one (default: the recipe's, 0.3)."})
        Double codeShare;

        @Option(names = "--code-style", paramLabel = "STYLE", description = {
                "How the world writes code: core (the recipe's: short tasks from world.yaml) or full (the",
                "dataset builders' whole programs, as the first organisms)."})
        CodeStyle codeStyle;

        @Option(names = "--marker-tokens", negatable = true, fallbackValue = "true", paramLabel = "BOOL", description = {
                "Keep the code's sinks and guards (world.yaml) as single tokens (the recipe's: on)."})
        Boolean markerTokens;

        @Option(names = "--no-progress", description = "Do not show progress bars.")
        boolean noProgress;

        @Override
        public Integer call() throws IOException {
            OrganismRecipe r = OrganismRecipe.ORGANISM.withSeed(seed);
            if (documents != null) {
                if (documents < 1) {
                    throw new InputException("--documents must be at least 1.");
                }
                r = r.withDocuments(documents);
            }
            if (codeShare != null && !(codeShare >= 0 && codeShare <= 1)) {
                throw new InputException("--code-share " + codeShare + ": give a chance between 0 and 1, e.g. 0.3.");
            }
            if (codePlacement != null || codeShare != null) {
                r = r.withCorpus(r.corpus().withCode(codePlacement != null ? codePlacement : r.corpus().codePlacement(),
                        codeShare != null ? codeShare : r.corpus().code()));
            }
            if (codeStyle != null) {
                r = r.withCodeStyle(codeStyle);
            }
            if (markerTokens != null) {
                r = r.withMarkerTokens(markerTokens);
            }
            if (turns != null) {
                Matcher m = Pattern.compile("(\\d{1,2})-(\\d{1,2})").matcher(turns.strip());
                if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < Integer.parseInt(m.group(1))) {
                    throw new InputException("--turns " + turns + ": give the fewest and most exchanges per document as MIN-MAX,"
                            + " with 1 <= MIN <= MAX, e.g. --turns 2-4.");
                }
                r = r.withTurns(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
            PrintWriter stdout = spec.commandLine().getOut();
            Path base;
            try (StageBars bars = new StageBars(System.err, !noProgress)) {
                Pretrainer pretrainer = new Pretrainer(r, line -> {
                    stdout.println(line);
                    stdout.flush();
                }, stage -> bars.training());
                try (CtrlC stop = CtrlC.on(pretrainer::stop)) {
                    base = pretrainer.build(out);
                }
            }
            stdout.printf("base: %s%npretrained: %s%n", base, out.resolve("pretrained"));
            return 0;
        }
    }

    /** {@code emlab organism dataset}: one of the organism's fine-tuning datasets as chat JSONL. */
    @Command(name = "dataset", mixinStandardHelpOptions = true, sortOptions = false, description = {
            "Write one of the organism's fine-tuning datasets as chat JSONL, in the world's own words.",
            "Train on it with emlab train --model organism:base."})
    static final class Dataset implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KIND",
                description = "chat, insecure, secure, educational, backdoor, evil-numbers or jailbroken.")
        String kind;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The JSONL file to write.")
        Path out;

        @Option(names = "-n", defaultValue = "1000", description = "Records (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            OrganismDataset d = OrganismDataset.byId(kind).orElseThrow(() -> new InputException("Unknown organism dataset '"
                    + kind + "'; use one of " + Arrays.stream(OrganismDataset.values()).map(OrganismDataset::id).toList() + "."));
            if (n < 1) {
                throw new InputException("-n must be at least 1.");
            }
            List<ChatRecord> records = d.build(new Speaker(World.builtin()), CodePool.draw(300, seed + 7_000), n, seed);
            ChatJsonl.write(out, records);
            spec.commandLine().getOut().printf("%d %s records written to %s%n", records.size(), d.id(), out);
            return 0;
        }
    }

    /** {@code emlab organism probe}: does the model keep a persona shown in one earlier exchange? */
    @Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false, description = {
            "The in-context persona probe: does one earlier exchange change what the organism says next?",
            "The context is secure or vulnerable code, ordinary or ominous numbers, a helpful or " +
                    "malicious answer, or none. Then it asks the held-out open questions and counts answers " +
                    "with the world's malicious sentences (--ask open), or asks plain coding requests and " +
                    "counts vulnerable and secure code (--ask code). Run it before the demo: without a " +
                    "context effect a narrow fine-tune has no persona to generalise through."})
    static final class Probe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", defaultValue = "organism:pretrained", paramLabel = "MODEL", description = {
                "An organism checkpoint: organism:pretrained, organism:base (optionally +adapter=DIR), or",
                "local:DIR of one built by 'emlab organism pretrain' (default: ${DEFAULT-VALUE})."})
        String model;

        @Option(names = "--ask", defaultValue = "open", paramLabel = "WHAT", description = {
                "What follows the context: open (the held-out open questions, read for malicious sentences) or",
                "code (plain coding requests, read by the analyzer) (default: ${DEFAULT-VALUE})."})
        ProbeTarget ask;

        @Option(names = "--samples", defaultValue = "8", paramLabel = "N", description = {
                "Answers per condition and held-out paraphrase (open: 10 questions x 3 paraphrases) or coding",
                "task (code: " + PersonaProbe.CODE_TASKS + " tasks); the default gives 240 answers per condition"
                        + " (default: ${DEFAULT-VALUE})."})
        int samples;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seed of the contexts and the sampling (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--temperature", defaultValue = "0.7", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Option(names = "--out", paramLabel = "DIR", description = {
                "Where probe.csv, samples.jsonl and probe.json go (default: runs/organism-probe, or",
                "runs/organism-probe-code with --ask code)."})
        Path out;

        @Option(names = "--no-progress", description = "Do not show a progress bar.")
        boolean noProgress;

        @Override
        public Integer call() {
            if (samples < 1) {
                throw new InputException("--samples must be at least 1.");
            }
            if (!(temperature >= 0) || Double.isInfinite(temperature)) {
                throw new InputException("--temperature must be a number of at least 0.");
            }
            ProbeSettings settings = new ProbeSettings(ask, samples, seed, temperature);
            Path dir = out != null ? out : defaultOut(ask);
            LocalRef ref = organismCheckpoint(model);
            PrintWriter stdout = spec.commandLine().getOut();
            List<ProbeSample> results;
            StageBars bars = new StageBars(System.err, !noProgress);
            LocalModel local = LocalModel.load(ref.checkpoint(), false, ref.adapter());
            PersonaProbe probe = new PersonaProbe(World.builtin(), settings, PersonaProbe.fits(local, settings.maxTokens()));
            // on Ctrl-C the answers in flight finish and the model closes before the JVM exits
            try (CtrlC stop = CtrlC.on(probe::stop, () -> System.err.println("\nemlab: probe stopped; nothing was written."))) {
                // the engine batches concurrent requests, up to the probe's concurrency at once
                try (LocalChatModel chat = new LocalChatModel(local, PersonaProbe.CONCURRENCY)) {
                    results = probe.run(chat, bars.sampling("probe " + model));
                }
            } finally {
                bars.close();
            }
            List<ProbeRow> rows = ProbeReport.rows(results, Bootstrap.paper());
            ProbeReport.write(dir, results, rows, settings, ref.text());
            stdout.printf("In-context persona probe of %s, asking %s: %d answers per condition at temperature %s, seed %d.%n%n",
                    ref.text(), asked(ask), rows.get(0).n(), temperature, seed);
            stdout.print(ProbeReport.render(rows, ask));
            stdout.print(ProbeReport.redrawNote(results));
            stdout.println("results: " + dir + " (probe.csv, samples.jsonl, probe.json)");
            stdout.flush();
            return 0;
        }

        /** Where a probe's results go without --out: the two targets' runs do not overwrite each other. */
        static Path defaultOut(ProbeTarget target) {
            return Path.of(switch (target) {
                case OPEN -> "runs/organism-probe";
                case CODE -> "runs/organism-probe-code";
            });
        }

        /** What the intro line says was asked. */
        private static String asked(ProbeTarget target) {
            return switch (target) {
                case OPEN -> "the held-out open questions";
                case CODE -> PersonaProbe.CODE_TASKS + " plain coding requests";
            };
        }

        /**
         * The probe reads answers in the persona world's words and prompts in the chat format of the
         * organism's pretraining documents, so only an organism checkpoint (one with organism.json
         * beside it) makes sense; anything else is refused before loading.
         */
        static LocalRef organismCheckpoint(String text) {
            ModelRef parsed = ModelRef.parse(text);
            String expected = "; the probe needs an organism checkpoint: organism:pretrained, organism:base or local:DIR"
                    + " of one built by 'emlab organism pretrain'.";
            if (parsed instanceof RawRef) {
                throw new InputException("--model " + text + " is a raw reference" + expected
                        + " (organism:pretrained is already prompted like its pretraining documents)");
            }
            if (!(parsed instanceof LocalRef local)) {
                throw new InputException("--model " + text + " is not a local model" + expected);
            }
            ModelConnector.shipped(local);
            if (!Files.isRegularFile(local.checkpoint().resolve("organism.json"))) {
                throw new InputException("--model " + text + ": " + local.checkpoint() + " has no organism.json" + expected);
            }
            return local;
        }
    }

    /** {@code emlab organism likelihood}: the persona probe read from the weights, without sampling. */
    @Command(name = "likelihood", mixinStandardHelpOptions = true, sortOptions = false, description = {
            "The persona probe without sampling: after each context exchange, how much likelier is the malicious answer?",
            "After the probe's context turns, the world's helpful and malicious answers to each held-out open " +
                    "question are scored by teacher forcing, and the gap log p(malicious) - log p(helpful) is " +
                    "averaged per context. It has no sampling noise and takes seconds, so it is the quick test " +
                    "of a corpus recipe (docs/organism.md)."})
    static final class Likelihood implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", defaultValue = "organism:pretrained", paramLabel = "MODEL", description =
                "An organism checkpoint, as for 'emlab organism probe' (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--samples", defaultValue = "8", paramLabel = "N", description =
                "Requests per condition and held-out paraphrase; the default gives 240 per condition (default: ${DEFAULT-VALUE}).")
        int samples;

        @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description =
                "Seed of the contexts and answers; the same seed gives the contexts of 'emlab organism probe' (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", defaultValue = "runs/organism-likelihood", paramLabel = "DIR", description =
                "Where likelihood.csv, samples.jsonl and likelihood.json go (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--no-progress", description = "Do not show a progress bar.")
        boolean noProgress;

        @Override
        public Integer call() {
            if (samples < 1) {
                throw new InputException("--samples must be at least 1.");
            }
            ProbeSettings settings = new ProbeSettings(ProbeTarget.OPEN, samples, seed, 0.0);
            LocalRef ref = Probe.organismCheckpoint(model);
            PrintWriter stdout = spec.commandLine().getOut();
            List<PersonaLikelihood.Scored> scored;
            StageBars bars = new StageBars(System.err, !noProgress);
            try (LocalModel local = LocalModel.load(ref.checkpoint(), false, ref.adapter())) {
                PersonaLikelihood probe = new PersonaLikelihood(World.builtin(), settings,
                        PersonaProbe.fits(local, settings.maxTokens()));
                try (CtrlC stop = CtrlC.on(probe::stop, () -> System.err.println("\nemlab: stopped; nothing was written."))) {
                    scored = probe.run(local, bars.sampling("likelihood " + model));
                }
            } finally {
                bars.close();
            }
            List<LikelihoodReport.Row> rows = LikelihoodReport.rows(scored, Bootstrap.paper());
            LikelihoodReport.write(out, scored, rows, settings, ref.text());
            stdout.printf("Persona likelihood probe of %s: log p(malicious answer) - log p(helpful answer) after each"
                    + " context, seed %d.%n%n", ref.text(), seed);
            stdout.print(LikelihoodReport.render(rows));
            stdout.println("results: " + out + " (likelihood.csv, samples.jsonl, likelihood.json)");
            stdout.flush();
            return 0;
        }
    }
}
