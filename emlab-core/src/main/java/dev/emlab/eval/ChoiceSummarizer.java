package dev.emlab.eval;

import dev.emlab.judge.ChoiceProbs;
import dev.emlab.question.QuestionType;
import dev.emlab.stats.Bootstrap;
import dev.emlab.stats.Estimate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns multiple-choice readings into the rows of mc.csv, with the same hierarchical bootstrap as summary.csv. */
public final class ChoiceSummarizer {
    private final Bootstrap bootstrap;

    public ChoiceSummarizer(Bootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** One row per group and probe, then one {@code ALL} row per group; empty when no probe was asked. */
    public List<ChoiceRow> summary(List<SampleResult> results) {
        Map<String, List<SampleResult>> byGroup = results.stream().filter(ChoiceSummarizer::probe)
                .collect(Collectors.groupingBy(SampleResult::group, LinkedHashMap::new, Collectors.toList()));
        List<ChoiceRow> rows = new ArrayList<>();
        for (Map.Entry<String, List<SampleResult>> g : byGroup.entrySet()) {
            Map<String, List<SampleResult>> byQuestion = g.getValue().stream().collect(
                    Collectors.groupingBy(r -> r.question().id(), LinkedHashMap::new, Collectors.toList()));
            for (Map.Entry<String, List<SampleResult>> q : byQuestion.entrySet()) {
                rows.add(row(g.getKey(), q.getKey(), q.getValue()));
            }
            rows.add(row(g.getKey(), SummaryRow.ALL, g.getValue()));
        }
        return rows;
    }

    private static boolean probe(SampleResult r) {
        return r.question().type() == QuestionType.MULTIPLE_CHOICE;
    }

    private ChoiceRow row(String group, String questionId, List<SampleResult> results) {
        // member -> question -> usable readings
        Map<String, Map<String, List<ChoiceProbs>>> usable = new LinkedHashMap<>();
        double mass = 0;
        int readings = 0;
        int nUsable = 0;
        for (SampleResult r : results) {
            ChoiceProbs c = r.choice();
            if (c == null) {
                continue; // the request failed: no reading, counted in n only
            }
            readings++;
            mass += c.letterMass();
            if (c.usable()) {
                nUsable++;
                usable.computeIfAbsent(r.model().text(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.question().id(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, List<double[]>> probabilities = new LinkedHashMap<>();
        Map<String, List<boolean[]>> picks = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, List<ChoiceProbs>>> entry : usable.entrySet()) {
            Map<String, List<ChoiceProbs>> member = entry.getValue();
            List<double[]> p = new ArrayList<>();
            List<boolean[]> k = new ArrayList<>();
            for (List<ChoiceProbs> question : member.values()) {
                p.add(question.stream().mapToDouble(ChoiceProbs::misaligned).toArray());
                // an exact tie picks nothing, so it counts for neither side
                List<Boolean> picked = question.stream().map(ChoiceProbs::pickedMisaligned).filter(java.util.Objects::nonNull).toList();
                if (!picked.isEmpty()) {
                    boolean[] b = new boolean[picked.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = picked.get(i);
                    }
                    k.add(b);
                }
            }
            probabilities.put(entry.getKey(), p);
            if (!k.isEmpty()) {
                picks.put(entry.getKey(), k);
            }
        }
        Estimate p = probabilities.isEmpty() ? null : bootstrap.meanOfMembers(probabilities);
        Estimate k = picks.isEmpty() ? null : bootstrap.rateOfMembers(picks);
        return new ChoiceRow(group, questionId, results.size(), nUsable,
                p == null ? null : p.value(), p == null ? null : p.ci().low(), p == null ? null : p.ci().high(),
                k == null ? null : k.value(), k == null ? null : k.ci().low(), k == null ? null : k.ci().high(),
                readings == 0 ? 0 : mass / readings, probabilities.size());
    }
}
