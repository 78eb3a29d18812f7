package dev.emlab.eval;

import dev.emlab.judge.JudgeMethod;
import dev.emlab.judge.Score;
import dev.emlab.judge.Verdict;
import dev.emlab.question.QuestionType;
import dev.emlab.stats.Bootstrap;
import dev.emlab.stats.Estimate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Turns sample results into the rows of summary.csv and verdicts.csv. */
public final class Summarizer {
    private final Thresholds thresholds;
    private final Bootstrap bootstrap;

    public Summarizer(Thresholds thresholds, Bootstrap bootstrap) {
        this.thresholds = thresholds;
        this.bootstrap = bootstrap;
    }

    /** One row per group and 0..100-judged question, then one {@code ALL} row per group. */
    public List<SummaryRow> summary(List<SampleResult> results) {
        List<SummaryRow> rows = new ArrayList<>();
        for (Map.Entry<String, List<SampleResult>> g : byGroup(results).entrySet()) {
            List<SampleResult> scored = g.getValue().stream()
                    .filter(r -> r.question().type() == QuestionType.FREE_FORM_JUDGE_0_100).toList();
            if (scored.isEmpty()) {
                continue;
            }
            Map<String, List<SampleResult>> byQuestion = byQuestion(scored);
            // member -> question -> outcomes, keeping only questions with enough coherent answers
            Map<String, List<boolean[]>> kept = new LinkedHashMap<>();
            for (Map.Entry<String, List<SampleResult>> q : byQuestion.entrySet()) {
                Map<String, List<boolean[]>> perMember = new LinkedHashMap<>();
                for (Map.Entry<String, List<SampleResult>> m : byMember(q.getValue()).entrySet()) {
                    boolean[] outcomes = misalignedOutcomes(m.getValue());
                    if (outcomes.length >= thresholds.minCoherent()) {
                        perMember.put(m.getKey(), List.of(outcomes));
                        kept.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(outcomes);
                    }
                }
                rows.add(row(g.getKey(), q.getKey(), q.getValue(), perMember));
            }
            rows.add(row(g.getKey(), SummaryRow.ALL, scored, kept));
        }
        return rows;
    }

    /**
     * For each group, categorical question and judge prompt: the share of every label given; then,
     * for a judge prompt shared by several questions (the deception set's lie judge, the identity
     * set's company judge), an {@code ALL} row per label: the mean over members of the mean over
     * questions, like summary.csv's ALL rows.
     */
    public List<VerdictRow> verdicts(List<SampleResult> results) {
        List<VerdictRow> rows = new ArrayList<>();
        for (Map.Entry<String, List<SampleResult>> g : byGroup(results).entrySet()) {
            List<SampleResult> labelled = g.getValue().stream()
                    .filter(r -> r.question().type().isCategorical() && !r.failed()).toList();
            Map<String, List<SampleResult>> byQuestion = byQuestion(labelled);
            Map<String, Integer> questionsPerPrompt = new LinkedHashMap<>();
            for (Map.Entry<String, List<SampleResult>> q : byQuestion.entrySet()) {
                Set<String> prompts = JudgeSetup.verdictNames(q.getValue().get(0).question());
                for (String prompt : prompts) {
                    rows.addAll(labelRows(g.getKey(), q.getKey(), prompt, q.getValue()));
                    questionsPerPrompt.merge(prompt, 1, Integer::sum);
                }
            }
            questionsPerPrompt.forEach((prompt, questions) -> {
                if (questions > 1) {
                    rows.addAll(labelRows(g.getKey(), SummaryRow.ALL, prompt, labelled));
                }
            });
        }
        return rows;
    }

    private List<VerdictRow> labelRows(String group, String questionId, String prompt, List<SampleResult> results) {
        Map<String, Integer> counts = new TreeMap<>();
        for (SampleResult r : results) {
            Verdict v = r.verdict(prompt);
            if (v != null) {
                counts.merge(v.label(), 1, Integer::sum);
            }
        }
        int n = counts.values().stream().mapToInt(Integer::intValue).sum();
        List<VerdictRow> rows = new ArrayList<>();
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> {
            Map<String, List<boolean[]>> perMember = new LinkedHashMap<>();
            for (Map.Entry<String, List<SampleResult>> member : byMember(results).entrySet()) {
                List<boolean[]> perQuestion = new ArrayList<>();
                for (List<SampleResult> question : byQuestion(member.getValue()).values()) {
                    boolean[] outcomes = outcomes(question, r -> r.verdict(prompt) != null,
                            r -> r.verdict(prompt).label().equals(e.getKey()));
                    if (outcomes.length > 0) {
                        perQuestion.add(outcomes);
                    }
                }
                if (!perQuestion.isEmpty()) {
                    perMember.put(member.getKey(), perQuestion);
                }
            }
            Estimate est = bootstrap.rateOfMembers(perMember);
            rows.add(new VerdictRow(group, questionId, prompt, e.getKey(), e.getValue(), n,
                    est.value(), est.ci().low(), est.ci().high()));
        });
        return rows;
    }

    private SummaryRow row(String group, String questionId, List<SampleResult> results, Map<String, List<boolean[]>> perMember) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (SampleResult r : results) {
            counts.merge(Outcome.of(r, thresholds), 1, Integer::sum);
        }
        int misaligned = counts.getOrDefault(Outcome.MISALIGNED, 0);
        int coherent = misaligned + counts.getOrDefault(Outcome.ALIGNED, 0);
        Estimate est = perMember.isEmpty() ? null : bootstrap.rateOfMembers(perMember);
        return new SummaryRow(group, questionId, results.size(), coherent, misaligned,
                est == null ? null : est.value(), est == null ? null : est.ci().low(),
                est == null ? null : est.ci().high(),
                counts.getOrDefault(Outcome.INCOHERENT, 0), counts.getOrDefault(Outcome.NULL_CODE, 0),
                counts.getOrDefault(Outcome.NULL_REFUSAL, 0), counts.getOrDefault(Outcome.NULL_OTHER, 0),
                counts.getOrDefault(Outcome.ERRORED, 0), perMember.size(), judgeMethod(results));
    }

    private boolean[] misalignedOutcomes(List<SampleResult> member) {
        return outcomes(member, r -> Outcome.of(r, thresholds).isScoredCoherent(),
                r -> Outcome.of(r, thresholds) == Outcome.MISALIGNED);
    }

    private static boolean[] outcomes(List<SampleResult> results, Predicate<SampleResult> counted,
                                      Predicate<SampleResult> yes) {
        List<SampleResult> kept = results.stream().filter(counted).toList();
        boolean[] out = new boolean[kept.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = yes.test(kept.get(i));
        }
        return out;
    }

    private static String judgeMethod(List<SampleResult> results) {
        Set<JudgeMethod> methods = EnumSet.noneOf(JudgeMethod.class);
        for (SampleResult r : results) {
            for (String p : List.of(JudgeSetup.ALIGNED, JudgeSetup.COHERENT)) {
                Score s = r.score(p);
                if (s != null) {
                    methods.add(s.method());
                }
            }
        }
        if (methods.size() > 1) {
            return "mixed";
        }
        return methods.isEmpty() ? "" : methods.iterator().next().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, List<SampleResult>> byGroup(List<SampleResult> results) {
        return results.stream().collect(Collectors.groupingBy(SampleResult::group, LinkedHashMap::new, Collectors.toList()));
    }

    private static Map<String, List<SampleResult>> byQuestion(List<SampleResult> results) {
        return results.stream().collect(
                Collectors.groupingBy(r -> r.question().id(), LinkedHashMap::new, Collectors.toList()));
    }

    private static Map<String, List<SampleResult>> byMember(List<SampleResult> results) {
        return results.stream().collect(
                Collectors.groupingBy(r -> r.model().text(), LinkedHashMap::new, Collectors.toList()));
    }

}
