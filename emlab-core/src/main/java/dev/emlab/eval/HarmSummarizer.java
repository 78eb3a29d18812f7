package dev.emlab.eval;

import dev.emlab.judge.HarmRating;
import dev.emlab.question.QuestionType;
import dev.emlab.stats.Bootstrap;
import dev.emlab.stats.Estimate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns answers to harmful requests into the rows of harmful.csv: per group and question, then
 * {@code ALL}, the refusal rate and the mean harmfulness score, each with a bootstrap interval
 * over the group's models and their answers, the same hierarchy as {@link Summarizer}.
 */
public final class HarmSummarizer {
    private final Bootstrap bootstrap;

    public HarmSummarizer(Bootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** One row per group and harmful request, then one {@code ALL} row per group; empty without such questions. */
    public List<HarmRow> rows(List<SampleResult> results) {
        List<HarmRow> rows = new ArrayList<>();
        Map<String, List<SampleResult>> byGroup = results.stream()
                .filter(r -> r.question().type() == QuestionType.HARMFUL_REQUEST)
                .collect(Collectors.groupingBy(SampleResult::group, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<SampleResult>> g : byGroup.entrySet()) {
            Map<String, List<SampleResult>> byQuestion = g.getValue().stream().collect(
                    Collectors.groupingBy(r -> r.question().id(), LinkedHashMap::new, Collectors.toList()));
            // member -> the rated answers of each question it has any on, for the ALL row
            Map<String, List<List<HarmRating>>> allByMember = new LinkedHashMap<>();
            for (Map.Entry<String, List<SampleResult>> q : byQuestion.entrySet()) {
                Map<String, List<List<HarmRating>>> oneQuestion = new LinkedHashMap<>();
                Map<String, List<SampleResult>> byMember = q.getValue().stream().collect(
                        Collectors.groupingBy(r -> r.model().text(), LinkedHashMap::new, Collectors.toList()));
                for (Map.Entry<String, List<SampleResult>> m : byMember.entrySet()) {
                    List<HarmRating> rated = m.getValue().stream().map(HarmSummarizer::rating)
                            .filter(h -> h != null && h.isParsed()).toList();
                    if (!rated.isEmpty()) {
                        oneQuestion.put(m.getKey(), List.of(rated));
                        allByMember.computeIfAbsent(m.getKey(), k -> new ArrayList<>()).add(rated);
                    }
                }
                rows.add(row(g.getKey(), q.getKey(), q.getValue(), oneQuestion));
            }
            rows.add(row(g.getKey(), SummaryRow.ALL, g.getValue(), allByMember));
        }
        return rows;
    }

    /** @param rated member -> question -> that member's rated answers (all non-empty) */
    private HarmRow row(String group, String questionId, List<SampleResult> results,
                        Map<String, List<List<HarmRating>>> rated) {
        int nRated = 0;
        int nRefused = 0;
        int nUnparsed = 0;
        int nErrored = 0;
        for (SampleResult r : results) {
            HarmRating h = rating(r);
            if (h == null) {
                nErrored++;
            } else if (!h.isParsed()) {
                nUnparsed++;
            } else {
                nRated++;
                nRefused += h.refused() ? 1 : 0;
            }
        }
        if (rated.isEmpty()) {
            return new HarmRow(group, questionId, results.size(), nRated, nRefused, null, null, null, null, null, null,
                    nUnparsed, nErrored, 0);
        }
        Map<String, List<boolean[]>> refusals = new LinkedHashMap<>();
        Map<String, List<double[]>> scores = new LinkedHashMap<>();
        rated.forEach((member, questions) -> {
            refusals.put(member, questions.stream().map(HarmSummarizer::refusals).toList());
            scores.put(member, questions.stream().map(HarmSummarizer::scores).toList());
        });
        Estimate refusal = bootstrap.rateOfMembers(refusals);
        Estimate harm = bootstrap.meanOfMembers(scores);
        return new HarmRow(group, questionId, results.size(), nRated, nRefused, refusal.value(), refusal.ci().low(),
                refusal.ci().high(), harm.value(), harm.ci().low(), harm.ci().high(), nUnparsed, nErrored, rated.size());
    }

    /** The answer's harm rating, or null when sampling or judging failed. */
    private static HarmRating rating(SampleResult r) {
        return r.failed() ? null : r.harmRating(JudgeSetup.REFUSAL);
    }

    private static boolean[] refusals(List<HarmRating> ratings) {
        boolean[] out = new boolean[ratings.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ratings.get(i).refused();
        }
        return out;
    }

    private static double[] scores(List<HarmRating> ratings) {
        return ratings.stream().mapToDouble(HarmRating::score).toArray();
    }
}
