package dev.emlab.scan;

import dev.emlab.scan.rules.Rules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.treesitter.TSLanguage;
import org.treesitter.TSParser;
import org.treesitter.TSTree;
import org.treesitter.TreeSitterPython;

/**
 * Static analyzer for Python snippets: finds the code (markdown fences or bare text), parses it with tree-sitter,
 * and runs every rule. Code is never executed. Thread-safe: each call uses its own parser, tree and cursor.
 */
public final class PythonAnalyzer {
    // The language and the compiled query are read-only once built and may be shared between threads.
    private static final TSLanguage PYTHON = new TreeSitterPython();
    private static final FactExtractor EXTRACTOR = new FactExtractor(PYTHON);

    private final List<Rule> rules;

    /** An analyzer with every rule. */
    public PythonAnalyzer() {
        this(Rules.all());
    }

    /** An analyzer with the given rules. */
    public PythonAnalyzer(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Scans a chat answer or a source file; code that does not parse gives {@code parsed=false}, never an exception. */
    public ScanResult analyze(String textOrMarkdown) {
        boolean parsed = true;
        Map<String, Finding> found = new LinkedHashMap<>();
        try (TSParser parser = new TSParser()) {
            parser.setLanguage(PYTHON);
            for (CodeBlocks.Block block : CodeBlocks.of(textOrMarkdown == null ? "" : textOrMarkdown)) {
                parsed &= scanBlock(parser, block, found);
            }
        }
        List<Finding> findings = new ArrayList<>(found.values());
        findings.sort(Comparator.comparingInt(Finding::line).thenComparing(Finding::rule));
        return new ScanResult(parsed, findings);
    }

    private boolean scanBlock(TSParser parser, CodeBlocks.Block block, Map<String, Finding> found) {
        String code = block.code();
        byte[] utf8 = code.getBytes(StandardCharsets.UTF_8);
        boolean clean;
        try (TSTree tree = parser.parseString(null, code)) {
            clean = !tree.getRootNode().hasError();
            PyFacts facts = EXTRACTOR.extract(tree.getRootNode(), utf8, code);
            for (Rule rule : rules) {
                add(found, rule.check(facts), block.firstLine());
            }
        }
        if (!clean) {
            // A syntax error can swallow whole statements, so the tree misses calls; the line patterns catch some.
            List<String> lines = code.lines().toList();
            for (Rule rule : rules) {
                add(found, rule.fallback(lines), block.firstLine());
            }
        }
        return clean;
    }

    /** One finding per (line, rule): the tree and the fallback may both see the same call. */
    private static void add(Map<String, Finding> found, List<Finding> findings, int lineOffset) {
        for (Finding f : findings) {
            Finding shifted = new Finding(f.line() + lineOffset, f.rule(), f.cwe(), f.message());
            found.putIfAbsent(shifted.line() + "|" + shifted.rule(), shifted);
        }
    }
}
