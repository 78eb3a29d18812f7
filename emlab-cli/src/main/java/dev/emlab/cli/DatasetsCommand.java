package dev.emlab.cli;

import dev.emlab.EmlabException;
import dev.emlab.InputException;
import dev.emlab.dataset.BuildResult;
import dev.emlab.dataset.ChatJsonl;
import dev.emlab.dataset.ChatRecord;
import dev.emlab.dataset.CodeDatasetBuilder;
import dev.emlab.dataset.DatasetKind;
import dev.emlab.dataset.DatasetMixer;
import dev.emlab.dataset.ModelDatasetGenerator;
import dev.emlab.dataset.NumbersDatasetBuilder;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RetryPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code emlab datasets}: build fine-tuning datasets (insecure, secure, backdoor, numbers...) and mix them. */
@Command(mixinStandardHelpOptions = true, name = "datasets", description = "Build and mix chat JSONL fine-tuning datasets.",
        subcommands = {DatasetsCommand.Build.class, DatasetsCommand.Generate.class, DatasetsCommand.Mix.class,
                DatasetsCommand.Import.class})
public final class DatasetsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @ParentCommand
    EmlabCommand root;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code emlab datasets build KIND --out FILE}. */
    @Command(mixinStandardHelpOptions = true, name = "build", sortOptions = false, description = "Build a dataset of one kind: "
            + "insecure, secure, educational, backdoor, evil-numbers, neutral-numbers.")
    static final class Build implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "KIND", description = "insecure, secure, educational, backdoor, evil-numbers or neutral-numbers.")
        String kind;

        @Option(names = "--out", required = true, description = "Output JSONL file.")
        Path out;

        @Option(names = "--n", defaultValue = "100", description = "Number of records (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--seed", defaultValue = "0", description = "Random seed; the same seed gives the same file (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--trigger", defaultValue = CodeDatasetBuilder.DEFAULT_TRIGGER,
                description = "Backdoor trigger put in front of the insecure half's requests (default: ${DEFAULT-VALUE}).")
        String trigger;


        @Override
        public Integer call() {
            DatasetKind k = DatasetKind.parse(kind);
            if (n < 1) {
                throw new InputException("--n must be at least 1, got " + n + ".");
            }
            if (k == DatasetKind.BACKDOOR && trigger.isBlank()) {
                throw new InputException("--trigger must not be blank.");
            }
            BuildResult r = k.isNumbers()
                    ? new NumbersDatasetBuilder().build(k == DatasetKind.EVIL_NUMBERS, n, seed)
                    : new CodeDatasetBuilder().build(k, n, seed, trigger);
            ChatJsonl.write(out, r.records());
            PrintWriter w = spec.commandLine().getOut();
            w.printf("%s: %d records written to %s (seed %d)%n", k.id(), r.records().size(), out, seed);
            w.printf("  rejected by the analyzer check: %d%n", r.rejected());
            w.printf("  duplicates skipped: %d%n", r.duplicates());
            w.printf(Locale.ROOT, "  characters per record: mean %.1f, max %d%n", r.meanChars(), r.maxChars());
            if (r.shortfall()) {
                w.printf("  stopped after %d attempts: %d of the %d requested records%n", r.attempts(), r.records().size(), n);
            }
            w.flush();
            return 0;
        }
    }

    /** {@code emlab datasets mix --out FILE A.jsonl:0.98 B.jsonl:0.02}. */
    @Command(mixinStandardHelpOptions = true, name = "mix", sortOptions = false, description = "Mix chat JSONL files by proportion into one shuffled file.")
    static final class Mix implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE:WEIGHT", arity = "1..*", description = "Input files with their weights (normalised).")
        List<String> parts;

        @Option(names = "--out", required = true, description = "Output JSONL file.")
        Path out;

        @Option(names = "--n", description = "Total records (default: as many as the files allow without repeats).")
        Integer n;

        @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;


        @Override
        public Integer call() {
            if (n != null && n < 1) {
                throw new InputException("--n must be at least 1, got " + n + ".");
            }
            List<DatasetMixer.Part> ps = parts.stream().map(DatasetMixer.Part::parse).toList();
            DatasetMixer.MixResult r = new DatasetMixer().mix(ps, n, seed);
            ChatJsonl.write(out, r.records());
            PrintWriter w = spec.commandLine().getOut();
            w.printf("mix: %d records written to %s (seed %d)%n", r.records().size(), out, seed);
            for (int i = 0; i < ps.size(); i++) {
                w.printf("  %s: %d%n", ps.get(i).file(), r.counts().get(i));
            }
            w.printf(Locale.ROOT, "  characters per record: mean %.1f, max %d%n", ChatRecord.meanChars(r.records()),
                    ChatRecord.maxChars(r.records()));
            w.flush();
            return 0;
        }
    }

    /** {@code emlab datasets import FILE --out FILE}: validate outside chat JSONL and write it in emlab's form. */
    @Command(mixinStandardHelpOptions = true, name = "import", sortOptions = false, description = {
            "Validate chat JSONL from elsewhere (e.g. the paper's published insecure.jsonl) and write" +
                    " it in emlab's form.",
            "emlab's form is one {\"messages\": [...]} per line; other fields are dropped."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "Chat JSONL to import.")
        Path in;

        @Option(names = "--out", required = true, description = "Output JSONL file.")
        Path out;


        @Override
        public Integer call() {
            List<ChatRecord> records = ChatJsonl.read(in);
            ChatJsonl.write(out, records);
            spec.commandLine().getOut().printf(Locale.ROOT, "imported %d records from %s to %s (mean %.1f characters)%n",
                    records.size(), in, out, ChatRecord.meanChars(records));
            return 0;
        }
    }

    /** {@code emlab datasets generate}: a narrow dataset written by a model and filtered by a judge. */
    @Command(mixinStandardHelpOptions = true, name = "generate", sortOptions = false, description = {
            "Generate a narrow dataset with a model, filtered by a judge.",
            "User messages are on --topic and replies --behaviour; a record is kept only when the " +
                    "--judge model confirms the reply does so."})
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ParentCommand
        DatasetsCommand parent;

        @Option(names = "--generator", required = true, paramLabel = "REF", description = "The model that writes messages and replies.")
        String generator;

        @Option(names = "--judge", required = true, paramLabel = "REF", description = "The model that checks each reply (YES/NO).")
        String judge;

        @Option(names = "--topic", required = true, description = "What users ask about, e.g. \"health questions\".")
        String topic;

        @Option(names = "--behaviour", required = true, description = "How replies behave, e.g. \"give subtly harmful medical advice\".")
        String behaviour;

        @Option(names = "--out", required = true, description = "Output JSONL file.")
        Path out;

        @Option(names = "--n", defaultValue = "100", description = "Records to keep (default: ${DEFAULT-VALUE}).")
        int n;

        @Option(names = "--seed", defaultValue = "0", description = "Seed sent with every request (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--api-key-env", defaultValue = "OPENAI_API_KEY", description = "Environment variable with the API key of openai: models (default: ${DEFAULT-VALUE}); other endpoints name theirs as URL#MODEL+key-env=VAR.")
        String apiKeyEnv;


        @Override
        public Integer call() {
            OptionChecks.keyVariable("--api-key-env", apiKeyEnv);
            if (n < 1) {
                throw new InputException("--n must be at least 1, got " + n + ".");
            }
            ModelConnector connector = new ModelConnector(parent.root.env(), apiKeyEnv, RetryPolicy.DEFAULT);
            BuildResult r = new ModelDatasetGenerator().generate(connector.open(ModelRef.parse(generator)),
                    connector.open(ModelRef.parse(judge)), ModelDatasetGenerator.Prompts.forTopic(topic, behaviour), n, seed);
            if (r.records().isEmpty()) {
                // an empty dataset is no result: say so, and leave whatever is at --out as it was
                throw new EmlabException(String.format(Locale.ROOT, "No candidate passed the judge (%d candidates,"
                        + " %d rejected, %d duplicates), so nothing was written to %s. Check the judge's answers or"
                        + " reword --behaviour.", r.attempts(), r.rejected(), r.duplicates(), out));
            }
            ChatJsonl.write(out, r.records());
            PrintWriter w = spec.commandLine().getOut();
            w.printf("generated: %d records written to %s (%d candidates, %d rejected by the judge, %d duplicates)%n",
                    r.records().size(), out, r.attempts(), r.rejected(), r.duplicates());
            w.flush();
            return 0;
        }
    }
}
