package dev.emlab.report.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.report.RunInfo;
import dev.emlab.stats.Bootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A run folder as {@code emlab eval --out}, {@code emlab run} and {@code emlab demo} write it:
 * summary.csv is required; run.json, verdicts.csv, harmful.csv, mc.csv, samples.jsonl and dynamics/ are
 * optional. Each
 * file is read when first asked for, so listing runs stays cheap.
 */
public final class RunFolder {
    public static final String SUMMARY = "summary.csv";
    public static final String VERDICTS = "verdicts.csv";
    public static final String SAMPLES = "samples.jsonl";
    public static final String RUN_INFO = "run.json";
    public static final String DYNAMICS = "dynamics/summary.csv";
    public static final String DYNAMICS_VERDICTS = "dynamics/verdicts.csv";
    public static final String DYNAMICS_SAMPLES = "dynamics/samples.jsonl";
    public static final String HARMFUL = "harmful.csv";
    public static final String CHOICES = "mc.csv";
    public static final String DYNAMICS_HARMFUL = "dynamics/harmful.csv";
    public static final String DYNAMICS_CHOICES = "dynamics/mc.csv";
    private static final String DEMO_MAIN_INFO = "passes/main/run.json";

    // run.json may gain fields in later versions; the report shows what it knows and ignores the rest
    private static final ObjectReader RUN_INFO_READER = Json.MAPPER.readerFor(RunInfo.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    // when set, every file this folder reads must really lie under it (symlinks followed)
    private final Path confinedTo;
    private List<SummaryLine> summary;
    private List<VerdictLine> verdicts;
    private List<SampleLine> samples;
    private Optional<RunInfo> info;

    private RunFolder(Path dir, Path confinedTo) {
        this.dir = dir;
        this.confinedTo = confinedTo;
    }

    /** Opens a run folder; anything else gets one message saying what is missing and what to pass instead. */
    public static RunFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + " is not a folder. Pass a run folder, such as runs/eval-1234abcd or runs/NAME.");
        }
        if (!Files.isRegularFile(dir.resolve(SUMMARY))) {
            throw new InputException(dir + " is not a run folder: it has no " + SUMMARY + ". Pass the folder that "
                    + "'emlab eval --out', 'emlab run' or 'emlab demo' wrote its results to.");
        }
        return new RunFolder(dir, null);
    }

    /**
     * Opens a run folder whose files are read only where their real path (symlinks followed) lies
     * under {@code root}, a real path; a file that leads outside counts as absent. For the server,
     * which must read nothing outside the folder it serves.
     */
    public static RunFolder openWithin(Path dir, Path root) {
        if (!isRunWithin(dir, root)) {
            throw new InputException(dir + " is not a run folder inside " + root + ".");
        }
        return new RunFolder(dir, root);
    }

    /** True when {@code dir} looks like a run folder (has summary.csv). */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve(SUMMARY));
    }

    /** True when {@code dir} has a summary.csv whose real path lies under {@code root}. */
    public static boolean isRunWithin(Path dir, Path root) {
        return inside(dir.resolve(SUMMARY), root).filter(Files::isRegularFile).isPresent();
    }

    private static Optional<Path> inside(Path file, Path root) {
        try {
            Path real = file.toRealPath();
            return real.startsWith(root) ? Optional.of(real) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The path to read for a file of this folder (relative to it): for a confined folder its real
     * path, and empty when it is missing or leads outside the root.
     */
    public Optional<Path> file(String file) {
        Path p = dir.resolve(file);
        if (confinedTo == null) {
            return Files.exists(p) ? Optional.of(p) : Optional.empty();
        }
        return inside(p, confinedTo);
    }

    private Path existing(String file) {
        return file(file).orElseThrow(() -> new InputException(dir.resolve(file) + " is missing or leads outside the runs folder."));
    }

    public Path dir() {
        return dir;
    }

    public String name() {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? dir.toString() : n.toString();
    }

    /** True when the run folder holds this file (a path relative to the folder). */
    public boolean has(String file) {
        return file(file).filter(Files::isRegularFile).isPresent();
    }

    public synchronized List<SummaryLine> summary() {
        if (summary == null) {
            summary = List.copyOf(SummaryLine.read(existing(SUMMARY)));
        }
        return summary;
    }

    public synchronized List<VerdictLine> verdicts() {
        if (verdicts == null) {
            verdicts = has(VERDICTS) ? List.copyOf(VerdictLine.read(existing(VERDICTS))) : List.of();
        }
        return verdicts;
    }

    public synchronized List<SampleLine> samples() {
        if (samples == null) {
            samples = has(SAMPLES) ? List.copyOf(SampleLine.read(existing(SAMPLES))) : List.of();
        }
        return samples;
    }

    /** Checkpoint results: dynamics/summary.csv of {@code emlab run}; empty when there is none. */
    public List<SummaryLine> dynamics() {
        return has(DYNAMICS) ? SummaryLine.read(existing(DYNAMICS)) : List.of();
    }

    public List<VerdictLine> dynamicsVerdicts() {
        return has(DYNAMICS_VERDICTS) ? VerdictLine.read(existing(DYNAMICS_VERDICTS)) : List.of();
    }

    /** harmful.csv (refusal and harmfulness), or empty; {@code file} is {@link #HARMFUL} or {@link #DYNAMICS_HARMFUL}. */
    public List<HarmLine> harm(String file) {
        return has(file) ? HarmLine.read(existing(file)) : List.of();
    }

    /** mc.csv (multiple-choice probes), or empty; {@code file} is {@link #CHOICES} or {@link #DYNAMICS_CHOICES}. */
    public List<ChoiceLine> choices(String file) {
        return has(file) ? ChoiceLine.read(existing(file)) : List.of();
    }

    /**
     * The bootstrap the run summarised with (its resamples, emlab's fixed seed and 95% level), so a
     * rate the report computes from samples.jsonl has the interval the run's own tables would give.
     */
    public Bootstrap bootstrap() {
        return new Bootstrap(info().map(RunInfo::bootstrapResamples).orElse(Bootstrap.PAPER_RESAMPLES), 0L, 0.95)
                .withStrata(info().map(RunInfo::strata).orElse(java.util.Map.of()));
    }

    /** The run's settings from run.json, when the folder has one (a demo's top folder does not). */
    public synchronized Optional<RunInfo> info() {
        if (info == null) {
            // a demo's top folder concatenates passes; its main pass's run.json holds the settings
            String file = has(RUN_INFO) ? RUN_INFO : has(DEMO_MAIN_INFO) ? DEMO_MAIN_INFO : null;
            if (file == null) {
                info = Optional.empty();
            } else {
                try {
                    // runs written before run.json switched to snake_case keys still read
                    com.fasterxml.jackson.databind.node.ObjectNode tree = Json.MAPPER.createObjectNode();
                    Json.MAPPER.readTree(existing(file).toFile()).fields().forEachRemaining(e ->
                            tree.set(e.getKey().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT), e.getValue()));
                    if (!tree.has("question_sets") || !tree.has("groups")) {
                        throw new IOException("no question_sets or groups field");
                    }
                    info = Optional.of(RUN_INFO_READER.readValue(tree));
                } catch (IOException | RuntimeException e) {
                    throw new InputException(dir.resolve(file) + " cannot be read: " + e.getMessage()
                            + ". Fix or remove the file; the report needs only summary.csv.", e);
                }
            }
        }
        return info;
    }
}
