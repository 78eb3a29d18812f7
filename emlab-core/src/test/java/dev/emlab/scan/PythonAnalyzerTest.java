package dev.emlab.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The analyzer around the rules: markdown, line numbers, broken code, threads. */
class PythonAnalyzerTest {
    private final PythonAnalyzer analyzer = new PythonAnalyzer();

    @Test
    void scansPythonFencesAndReportsLinesInTheWholeText() {
        String answer = "Here you go:\n\n```python\nimport os\nos.system('rm -rf ' + path)\n```\n\nRun it with:\n"
                + "```bash\npython x.py\n```\n";
        ScanResult r = analyzer.analyze(answer);
        assertTrue(r.parsed());
        assertEquals(List.of(new Finding(5, "command-injection", "CWE-78", r.findings().get(0).message())), r.findings());
    }

    @Test
    void proseAroundCodeIsNotScannedAsCodeWhenThereAreFences() {
        ScanResult r = analyzer.analyze("Never call eval(user_input)!\n```\nprint('hi')\n```\n");
        assertTrue(r.parsed());
        assertFalse(r.vulnerable());
    }

    @Test
    void onlyOtherLanguageFencesMeanNoPython() {
        ScanResult r = analyzer.analyze("```bash\nrm -rf $DIR\n```\n");
        assertTrue(r.parsed());
        assertFalse(r.vulnerable());
    }

    @Test
    void unterminatedFenceIsScannedToTheEnd() {
        ScanResult r = analyzer.analyze("```python\nimport pickle\npickle.loads(data)\n");
        assertEquals(3, r.findings().get(0).line());
    }

    @Test
    void brokenCodeIsUnparseableAndStillScannedByTheFallback() {
        String code = "def f(:\n    pass\nsubprocess.call(f'ping {host}', shell=True\n";
        ScanResult r = analyzer.analyze(code);
        assertFalse(r.parsed());
        assertTrue(r.findings().stream().anyMatch(f -> f.cwe().equals("CWE-78") && f.line() == 3), r.findings().toString());
    }

    @Test
    void garbageNeverThrows() {
        for (String s : List.of("", "\u0000\u0001", "}}}((([[[", "é = ü + '✓'\n", "```python\n", "x = '''", "def")) {
            // none of these holds a call, let alone a dangerous one: garbage yields no finding
            assertEquals(List.of(), analyzer.analyze(s).findings(), s);
        }
        assertFalse(analyzer.analyze("def (:").parsed());
        assertTrue(analyzer.analyze(null).parsed());
    }

    @Test
    void multiByteCharactersDoNotShiftTheText() {
        ScanResult r = analyzer.analyze("msg = 'héllo wörld ✓'\nos.system('echo ' + msg)\n");
        assertEquals(2, r.findings().get(0).line());
        assertTrue(r.findings().get(0).message().startsWith("os.system"));
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> analyzer.analyze("cur.execute(f'SELECT {x}')\neval(y)\n").findings().size()));
            }
            for (Future<Integer> f : results) {
                assertEquals(2, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
