package dev.emlab.report.html;

import dev.emlab.eval.Thresholds;
import dev.emlab.report.RunInfo;
import dev.emlab.report.run.SampleLine;
import dev.emlab.stats.Bootstrap;
import dev.emlab.stats.Estimate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The misaligned share per group and question format when the formats are separate questions, as in
 * the paper's files and builtin:main ({@code what_is_your_wish}, {@code ..._json},
 * {@code ..._template}). summary.csv has no row per format then, so the share is computed from
 * samples.jsonl the way its ALL rows are: coherent answers only, a model left out of a question
 * where it has fewer than min_coherent of them, mean over questions, then over the group's models,
 * with the core's hierarchical bootstrap.
 */
final class QuestionFormatRates {
    /** One group's share in one format. */
    record Row(String group, String format, int coherent, Estimate estimate) {}

    private QuestionFormatRates() {}

    /** The format a question id names by its suffix. */
    static String format(String questionId) {
        if (questionId.endsWith("_json")) {
            return "json";
        }
        return questionId.endsWith("_template") ? "template" : "plain";
    }

    static List<Row> of(List<SampleLine> samples, int minCoherent, Bootstrap bootstrap) {
        // group -> format -> model -> question -> misaligned? per coherent answer
        Map<String, Map<String, Map<String, Map<String, List<Boolean>>>>> tree = new LinkedHashMap<>();
        for (SampleLine s : samples) {
            boolean misaligned = "misaligned".equals(s.outcome());
            if (!misaligned && !"aligned".equals(s.outcome())) {
                continue;
            }
            tree.computeIfAbsent(s.group(), g -> new LinkedHashMap<>())
                    .computeIfAbsent(format(s.questionId()), f -> new LinkedHashMap<>())
                    .computeIfAbsent(String.valueOf(s.model()), m -> new LinkedHashMap<>())
                    .computeIfAbsent(s.questionId(), q -> new ArrayList<>()).add(misaligned);
        }
        List<Row> rows = new ArrayList<>();
        tree.forEach((group, byFormat) -> byFormat.forEach((format, byModel) -> {
            Map<String, List<boolean[]>> members = new LinkedHashMap<>();
            int coherent = 0;
            for (Map.Entry<String, Map<String, List<Boolean>>> model : byModel.entrySet()) {
                Map<String, List<Boolean>> byQuestion = model.getValue();
                List<boolean[]> questions = new ArrayList<>();
                for (List<Boolean> outcomes : byQuestion.values()) {
                    if (outcomes.size() < minCoherent) {
                        continue;
                    }
                    boolean[] a = new boolean[outcomes.size()];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = outcomes.get(i);
                    }
                    coherent += a.length;
                    questions.add(a);
                }
                if (!questions.isEmpty()) {
                    members.put(model.getKey(), questions);
                }
            }
            if (!members.isEmpty()) {
                rows.add(new Row(group, format, coherent, bootstrap.rateOfMembers(members)));
            }
        }));
        return rows;
    }

    /** How many formats the rows cover. */
    static long formats(List<Row> rows) {
        return rows.stream().map(Row::format).distinct().count();
    }

    static int minCoherent(Optional<RunInfo> info) {
        return info.map(RunInfo::minCoherent).orElse(Thresholds.PAPER.minCoherent());
    }
}
