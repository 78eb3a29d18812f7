package dev.emlab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.TextFile;
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
        String text = TextFile.read(file, "chat JSONL file", Long.MAX_VALUE);
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                String answer = lastAssistant(lines.get(i), file, i + 1);
                scanned.add(new Scanned(file + ":" + (i + 1), analyzer.analyze(answer)));
            }
        }
    }

    /** The content of the last assistant message of a {"messages": [...]} record. */
    static String lastAssistant(String line, Path file, int lineNo) {
        JsonNode record;
        try {
            record = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InputException(file + " line " + lineNo + ": not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode messages = record == null ? null : record.get("messages");
        if (messages == null || !messages.isArray()) {
            throw new InputException(file + " line " + lineNo + ": expected an object with a \"messages\" array.");
        }
        for (int j = messages.size() - 1; j >= 0; j--) {
            JsonNode m = messages.get(j);
            if ("assistant".equals(m.path("role").asText()) && m.path("content").isTextual()) {
                return m.get("content").asText();
            }
        }
        throw new InputException(file + " line " + lineNo + ": the record has no assistant message with text content.");
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
