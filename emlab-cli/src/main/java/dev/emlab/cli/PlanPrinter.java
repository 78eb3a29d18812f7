package dev.emlab.cli;

import dev.emlab.experiment.DatasetSource;
import dev.emlab.experiment.ExperimentSpec;
import dev.emlab.experiment.Job;
import dev.emlab.experiment.Plan;
import dev.emlab.model.ModelRef;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Prints an experiment's plan: every job, whether it is already done, its tokens and estimated cost. */
final class PlanPrinter {
    private PlanPrinter() {}

    static void print(PrintWriter out, Plan plan, Set<String> done) {
        ExperimentSpec s = plan.spec();
        out.printf(Locale.ROOT, "experiment %s: %d base model(s) x %d dataset(s) x %d seed(s), %s training%n", s.name(),
                s.bases().size(), s.datasets().size(), s.seeds().size(), s.train().backend().name().toLowerCase(Locale.ROOT));
        for (Map.Entry<String, DatasetSource> d : s.datasets().entrySet()) {
            out.printf("  dataset %-14s %s%n", d.getKey(), d.getValue().describe());
        }
        out.printf("  base      %s%n", String.join(", ", s.bases().stream().map(ModelRef::text).toList()));
        out.printf("  questions %s%n", String.join(", ", s.eval().questions()));
        if (s.eval().raw()) {
            out.println("  eval      raw: every evaluated model continues a document (base models)");
        }
        out.printf("%-44s %-8s %14s %10s%n", "job", "state", "tokens", "est. cost");
        for (Job j : plan.jobs()) {
            String state = done.contains(j.id()) ? "done" : plan.finished().containsKey(j.id()) ? "cached" : "to do";
            Plan.Cost c = state.equals("to do") ? plan.costs().get(j.id()) : null;
            out.printf(Locale.ROOT, "%-44s %-8s %14s %10s%n", j.id(), state, c == null ? "" : tokens(c, j), c == null ? "" : usd(c.usd()));
            Integer ckpts = plan.checkpointEstimates().get(j.id());
            if (ckpts != null && ckpts > 0) {
                Plan.Cost cc = plan.costs().get(j.id() + "@checkpoints");
                out.printf(Locale.ROOT, "%-44s %-8s %14s %10s%n", "  + about " + ckpts + " checkpoint evaluation(s)", "later",
                        tokens(cc, null), usd(cc.usd()));
            }
        }
        double left = remaining(plan, done);
        out.printf(Locale.ROOT, "estimated cost of what is left: %s (an upper bound: every answer as long as max_tokens,"
                + " 4 characters per token)%n", usd(left));
        if (!plan.unpriced().isEmpty()) {
            out.println("no price known for: " + String.join(", ", plan.unpriced()) + " (add them to a price table, --prices FILE)");
        }
        out.flush();
    }

    /** Dollars still to spend: every job not done or cached, and the checkpoints of fine-tunes still to run. */
    static double remaining(Plan plan, Set<String> done) {
        double usd = 0;
        for (Map.Entry<String, Plan.Cost> e : plan.costs().entrySet()) {
            if (!done.contains(e.getKey())) {
                usd += e.getValue().usd();
            }
        }
        return usd;
    }

    private static String tokens(Plan.Cost c, Job j) {
        if (j instanceof Job.Train) {
            return human(c.trainingTokens()) + " train";
        }
        return human(c.inputTokens() + c.outputTokens());
    }

    private static String human(long n) {
        return n >= 1_000_000 ? String.format(Locale.ROOT, "%.1fM", n / 1e6)
                : n >= 1_000 ? String.format(Locale.ROOT, "%.0fk", n / 1e3) : String.valueOf(n);
    }

    private static String usd(double d) {
        return Double.isNaN(d) ? "unknown" : String.format(Locale.ROOT, "$%.2f", d);
    }
}
