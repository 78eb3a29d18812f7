package dev.emlab.cli;

import dev.emlab.report.html.Report;
import dev.emlab.report.run.RunFolder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code emlab report RUN_DIR}: the run's results as one self-contained HTML page, plus its figures as files. */
@Command(mixinStandardHelpOptions = true, name = "report", description = {
        "Write a run's results as one self-contained HTML page (works offline, fetches nothing).",
        "It holds the headline table, the per-question chart, formats, categorical judges, training " +
                "dynamics, backdoor trigger on/off and the answers. Each figure is also written as SVG, PNG " +
                "and CSV into a folder beside the page."})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run folder written by 'emlab eval --out', 'emlab run' or 'emlab demo'.")
    Path run;

    @Option(names = "--out", paramLabel = "FILE", description = "The HTML file to write (default: RUN_DIR/report.html).")
    Path out;

    @Override
    public Integer call() {
        RunFolder folder = RunFolder.open(run);
        Path target = out != null ? out : run.resolve("report.html");
        Path files = Report.write(folder, target);
        PrintWriter w = spec.commandLine().getOut();
        w.println("report: " + target);
        w.println("figures: " + files + " (each as .svg, .png and .csv)");
        w.flush();
        return 0;
    }
}
