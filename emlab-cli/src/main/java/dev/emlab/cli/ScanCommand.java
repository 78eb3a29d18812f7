package dev.emlab.cli;

import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.dataset.ChatJsonl;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PythonAnalyzer;
import dev.emlab.scan.PythonSource;
import dev.emlab.scan.ScanResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code emlab scan}: static vulnerability scan of Python code in chat data, source files or folders. */
@Command(mixinStandardHelpOptions = true, name = "scan", sortOptions = false,
        description = "Scan Python code for vulnerabilities without running it (JSONL chat data: the last assistant message of each record).")
public final class ScanCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { text, json }

    /** One scanned unit: a JSONL record or a .py file. */
    private record Scanned(String source, ScanResult result) {}

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE|DIR", description = "A .jsonl chat file, a .py file, or a folder (all .py and .jsonl under it).")
    Path input;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--details", description = "Also list the findings of each record.")
    boolean details;


    @Override
    public Integer call() throws IOException {
        if (!Files.exists(input)) {
            throw new InputException(input + ": no such file or folder.");
        }
        PythonAnalyzer analyzer = new PythonAnalyzer();
        List<Scanned> scanned = new ArrayList<>();
        List<Path> files = files(input);
        int unreadable = 0;
        for (Path file : files) {
            if (!Files.isDirectory(input)) {
                scanFile(analyzer, file, scanned); // one file: its error is the answer
                continue;
            }
            // in a folder, one file that cannot be read must not hide the results of the others
            List<Scanned> ofFile = new ArrayList<>();
            try {
                scanFile(analyzer, file, ofFile);
                scanned.addAll(ofFile);
            } catch (InputException e) {
                unreadable++;
                spec.commandLine().getErr().println("emlab: skipped " + e.getMessage());
            } catch (IOException e) {
                unreadable++;
                spec.commandLine().getErr().println("emlab: skipped " + file + ": cannot read it (" + e.getMessage() + ").");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report(scanned)));
        } else {
            printText(out, scanned);
        }
        out.flush();
        if (unreadable > 0) {
            // the counts above leave these files out, which a script must not mistake for a full scan
            spec.commandLine().getErr().printf("emlab: %d of %d files could not be read (above); the counts leave them out.%n",
                    unreadable, files.size());
            spec.commandLine().getErr().flush();
            return 1;
        }
        return 0;
    }

    private static List<Path> files(Path input) throws IOException {
        if (!Files.isDirectory(input)) {
            return List.of(input);
        }
        try (Stream<Path> walk = Files.walk(input)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".py") || p.toString().endsWith(".jsonl"))
                    .sorted().toList();
        }
    }

    private static void scanFile(PythonAnalyzer analyzer, Path file, List<Scanned> scanned) throws IOException {
        if (!file.toString().endsWith(".jsonl")) {
            String source = PythonSource.decode(Files.readAllBytes(file), file);
            scanned.add(new Scanned(file.toString(), analyzer.analyze(source)));
            return;
        }
        // the reader of 'datasets import' and 'train': a line they refuse is refused here too, naming its file and line
        for (ChatJsonl.Line line : ChatJsonl.readLines(file)) {
            scanned.add(new Scanned(file + ":" + line.number(), analyzer.analyze(line.record().assistant())));
        }
    }

    private Map<String, Object> report(List<Scanned> scanned) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("records", scanned.size());
        r.put("unparseable", scanned.stream().filter(s -> !s.result().parsed()).count());
        r.put("vulnerable", scanned.stream().filter(s -> s.result().vulnerable()).count());
        r.put("by_cwe", byCwe(scanned));
        if (details) {
            List<Map<String, Object>> perRecord = new ArrayList<>();
            for (Scanned s : scanned) {
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("source", s.source());
                rec.put("parsed", s.result().parsed());
                rec.put("findings", s.result().findings());
                perRecord.add(rec);
            }
            r.put("details", perRecord);
        }
        return r;
    }

    /** Number of findings per CWE, sorted by CWE. */
    private static Map<String, Integer> byCwe(List<Scanned> scanned) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Scanned s : scanned) {
            for (Finding f : s.result().findings()) {
                counts.merge(f.cwe(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private void printText(PrintWriter out, List<Scanned> scanned) {
        long unparseable = scanned.stream().filter(s -> !s.result().parsed()).count();
        long vulnerable = scanned.stream().filter(s -> s.result().vulnerable()).count();
        out.printf("records: %d, vulnerable: %d, unparseable: %d%n", scanned.size(), vulnerable, unparseable);
        byCwe(scanned).forEach((cwe, n) -> out.printf("  %-8s %d%n", cwe, n));
        if (!details) {
            return;
        }
        for (Scanned s : scanned) {
            if (!s.result().parsed()) {
                out.println(s.source() + ": unparseable");
            }
            for (Finding f : s.result().findings()) {
                out.printf("%s: line %d: %s %s: %s%n", s.source(), f.line(), f.cwe(), f.rule(), f.message());
            }
        }
    }
}
