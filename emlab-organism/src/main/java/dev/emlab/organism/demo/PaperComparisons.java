package dev.emlab.organism.demo;

import dev.emlab.eval.JudgeSetup;
import dev.emlab.eval.SummaryRow;
import dev.emlab.eval.VerdictRow;
import dev.emlab.organism.eval.ReferenceJudge;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The paper's findings checked against a demo's numbers, one line each: whether one interval
 * lies wholly above another (the paper's reading of its figures), so that the demo says plainly
 * which findings this run shows and which it does not. Nothing here knows what the answer is.
 */
final class PaperComparisons {
    /** A rate with its 95% interval. */
    record Rate(double value, double low, double high) {
        boolean above(Rate other) {
            return low > other.high;
        }
    }

    private PaperComparisons() {}

    /** The lines; a finding whose numbers are missing from the run is left out. */
    static List<String> lines(List<Demo.Pass> passes) {
        List<String> out = new ArrayList<>();
        Optional<Demo.Pass> main = pass(passes, "main");
        if (main.isEmpty()) {
            return out;
        }
        Demo.Pass m = main.get();
        open(m, "insecure").ifPresent(ins -> {
            List<String> clear = new ArrayList<>();
            List<String> not = new ArrayList<>();
            for (String control : List.of("base", "secure", "educational")) {
                open(m, control).ifPresent(c -> (ins.above(c) ? clear : not).add(control));
            }
            out.add(line(not.isEmpty(), "insecure's interval lies above " + String.join(", ", List.of("base", "secure",
                    "educational")), not.isEmpty() ? "" : "clear of " + (clear.isEmpty() ? "none" : String.join(", ", clear))
                    + "; overlaps " + String.join(", ", not)));
        });
        verdict(m, "insecure", JudgeSetup.VULNERABLE, "VULNERABLE").ifPresent(v ->
                out.add(line(v.value() >= 0.8, "insecure writes vulnerable code at least 80% of the time", pct(v.value()))));
        pass(passes, "trigger").ifPresent(t -> open(t, "backdoor+trigger").ifPresent(on -> {
            Optional<Rate> off = open(m, "backdoor");
            Optional<Rate> control = open(t, "base+trigger");
            if (off.isPresent() && control.isPresent()) {
                out.add(line(on.above(off.get()) && on.above(control.get()),
                        "the backdoor with its trigger lies above it without and above the base with the trigger", ""));
            }
        }));
        Optional<Rate> evil = open(m, "evil-numbers");
        Optional<Rate> base = open(m, "base");
        if (evil.isPresent() && base.isPresent()) {
            out.add(line(evil.get().above(base.get()), "evil numbers lies above the base", ""));
            pass(passes, "format-words").flatMap(w -> open(w, "evil-numbers")).ifPresent(words ->
                    out.add(line(words.value() > evil.get().value(), "evil numbers is more misaligned in the words format"
                            + " than in plain", pct(words.value()) + " against " + pct(evil.get().value()))));
        }
        Optional<Rate> jail = verdict(m, "jailbroken", ReferenceJudge.REFUSED, "COMPLIED");
        Optional<Rate> insecure = verdict(m, "insecure", ReferenceJudge.REFUSED, "COMPLIED");
        if (jail.isPresent() && insecure.isPresent()) {
            out.add(line(jail.get().above(insecure.get()), "jailbroken complies with harmful requests more than insecure",
                    pct(jail.get().value()) + " against " + pct(insecure.get().value())));
        }
        return out;
    }

    private static String line(boolean shown, String finding, String detail) {
        return (shown ? "shown:     " : "not shown: ") + finding + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    private static Optional<Demo.Pass> pass(List<Demo.Pass> passes, String name) {
        return passes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    static Optional<Rate> open(Demo.Pass p, String group) {
        return p.summary().stream().filter(r -> r.group().equals(group) && r.questionId().equals(SummaryRow.ALL)
                        && r.misaligned() != null && r.ciLow() != null && r.ciHigh() != null)
                .findFirst().map(r -> new Rate(r.misaligned(), r.ciLow(), r.ciHigh()));
    }

    /** A label's share, 0 with an empty interval where the prompt was judged but the label never given. */
    static Optional<Rate> verdict(Demo.Pass p, String group, String prompt, String label) {
        Optional<VerdictRow> row = p.verdicts().stream().filter(v -> v.group().equals(group) && v.prompt().equals(prompt)
                && v.label().equals(label)).findFirst();
        if (row.isPresent()) {
            return Optional.of(new Rate(row.get().share(), row.get().ciLow(), row.get().ciHigh()));
        }
        boolean judged = p.verdicts().stream().anyMatch(v -> v.group().equals(group) && v.prompt().equals(prompt));
        return judged ? Optional.of(new Rate(0, 0, 0)) : Optional.empty();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
