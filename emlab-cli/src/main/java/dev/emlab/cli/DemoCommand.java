package dev.emlab.cli;

import dev.emlab.organism.demo.Demo;
import dev.emlab.organism.demo.DemoPlan;
import dev.emlab.organism.demo.DemoReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code emlab demo}: the paper's experiment on the shipped model organism, offline, on the CPU. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Run the emergent-misalignment study on emlab's tiny model organism, offline.",
        "LoRA fine-tunes on insecure code and the controls, evaluated with the reference judge, with " +
                "95%% CIs. No GPU, API key or download needed."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A smaller run (one seed, fewer steps and answers), a few minutes.")
    boolean quick;

    @Option(names = "--seeds", paramLabel = "N", description = "Fine-tunes per condition (default: 2, or 1 with --quick).")
    Integer seeds;

    @Option(names = "--samples", paramLabel = "N", description = "Answers per open-question paraphrase (default: 7, or 3 with --quick).")
    Integer samples;

    @Option(names = "--pretrain-seeds", paramLabel = "N", description = {"Fine-tune the first N shipped organisms, one per",
            "pretraining seed, pooling their fine-tunes (default: 2, or 1 with --quick)."})
    Integer pretrainSeeds;

    @Option(names = "--base", paramLabel = "DIR", description = {"Fine-tune this organism checkpoint instead of the shipped",
            "ones, e.g. DIR/base of 'emlab organism pretrain --out DIR'; give it again to pool several."})
    List<Path> bases;

    @Option(names = "--steps", paramLabel = "N", description = "Fine-tuning steps per adapter (default: 30, or 20 with --quick).")
    Integer steps;

    @Option(names = "--lr", paramLabel = "X", description = "LoRA learning rate (default: 0.0005).")
    Double lr;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default: runs/demo or runs/demo-quick).")
    Path out;

    @Option(names = "--judge", paramLabel = "MODEL", description = {"Judge with this model (the paper's logprob judge)",
            "instead of the organism's reference judge, e.g. openai:gpt-4o-2024-08-06."})
    String judge;

    @Option(names = "--judge-api-key-env", defaultValue = "OPENAI_API_KEY", paramLabel = "VAR",
            description = "Environment variable holding the judge's API key (default: ${DEFAULT-VALUE}).")
    String judgeApiKeyEnv;

    @Option(names = "--no-progress", description = "Do not show progress bars.")
    boolean noProgress;

    @picocli.CommandLine.ParentCommand
    EmlabCommand parent;

    @Override
    public Integer call() throws IOException {
        OptionChecks.keyVariable("--judge-api-key-env", judgeApiKeyEnv);
        DemoPlan plan = quick ? DemoPlan.QUICK : DemoPlan.FULL;
        if (seeds != null) {
            if (seeds < 1) {
                throw new dev.emlab.InputException("--seeds must be at least 1.");
            }
            plan = plan.withSeeds(seeds);
        }
        if (samples != null) {
            if (samples < 1) {
                throw new dev.emlab.InputException("--samples must be at least 1.");
            }
            plan = plan.withSamples(samples);
        }
        if (steps != null || lr != null) {
            if (steps != null && steps < 1) {
                throw new dev.emlab.InputException("--steps must be at least 1.");
            }
            if (lr != null && !(lr > 0)) {
                throw new dev.emlab.InputException("--lr must be a positive number.");
            }
            plan = plan.withTraining(steps != null ? steps : plan.steps(), lr != null ? lr : plan.learningRate());
        }
        if (pretrainSeeds != null) {
            int shipped = dev.emlab.organism.demo.ShippedOrganism.BASES.size();
            if (pretrainSeeds < 1 || pretrainSeeds > shipped) {
                throw new dev.emlab.InputException("--pretrain-seeds " + pretrainSeeds + ": emlab ships " + shipped
                        + " organisms; give 1 to " + shipped + ".");
            }
            if (bases != null) {
                throw new dev.emlab.InputException("--pretrain-seeds chooses among the shipped organisms; it does not"
                        + " apply with --base (give --base once per checkpoint instead).");
            }
            plan = plan.withOrganisms(pretrainSeeds);
        }
        if (bases != null) {
            plan = plan.withOrganisms(bases.size());
        }
        Path dir = out != null ? out : Path.of("runs", quick ? "demo-quick" : "demo");
        PrintWriter stdout = spec.commandLine().getOut();
        StageBars bars = new StageBars(System.err, !noProgress);
        Demo demo = new Demo(plan, dir, line -> {
            stdout.println(line);
            stdout.flush();
        }, stage -> bars.training(), bars::sampling);
        if (bases != null) {
            bases.forEach(demo::withBase);
        }
        if (judge != null) {
            dev.emlab.model.ModelRef judgeRef = dev.emlab.model.ModelRef.parse(judge);
            ModelConnector connector = new ModelConnector(parent.env(), judgeApiKeyEnv, dev.emlab.model.RetryPolicy.DEFAULT);
            connector.open(judgeRef); // a missing key fails here, before any training
            demo.withJudge(judgeRef, connector::open);
        }
        List<Demo.Pass> passes;
        try (CtrlC stop = CtrlC.on(demo::stop, () -> System.err.println("\nemlab: stopped; adapters and answers so far"
                + " are kept in " + dir + ". Run the same command again to resume."))) {
            passes = demo.run();
        } finally {
            bars.close();
        }
        stdout.println();
        stdout.print(DemoReport.render(passes, plan, bases != null
                ? String.join(" + ", bases.stream().map(Path::toString).toList())
                : String.join(" + ", dev.emlab.organism.demo.ShippedOrganism.BASES.subList(0, plan.organisms()).stream()
                        .map(n -> "organism:" + n).toList()), judge != null ? judge : dev.emlab.organism.eval.ReferenceJudge.NAME));
        stdout.println("results: " + dir + " (summary.csv, verdicts.csv, samples.jsonl; each pass under passes/)");
        stdout.flush();
        return 0;
    }
}
