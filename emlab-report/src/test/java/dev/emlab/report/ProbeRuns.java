package dev.emlab.report;

import dev.emlab.eval.JudgeSetup;
import dev.emlab.eval.SampleResult;
import dev.emlab.eval.Summaries;
import dev.emlab.eval.Thresholds;
import dev.emlab.judge.ChoiceProbs;
import dev.emlab.judge.HarmRating;
import dev.emlab.model.EndpointRef;
import dev.emlab.question.Choice;
import dev.emlab.question.Question;
import dev.emlab.question.QuestionType;
import dev.emlab.question.Sampling;
import dev.emlab.stats.Bootstrap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Run folders with multiple-choice probes and harmful requests, for the report's tests. The
 * readings and ratings are scripted (seeded, so every run writes the same files); everything in
 * mc.csv and harmful.csv is then computed by the core's summarizers and written by its
 * ResultWriter, exactly as {@code emlab eval} and {@code emlab run} write them.
 */
public final class ProbeRuns {
    public static final String JUDGE = "http://127.0.0.1:9/v1#judge";

    private ProbeRuns() {}

    /**
     * Writes a run of {@code groups} (two models each) on {@code probes} two-option probes and
     * {@code requests} harmful requests (4 answers each); later groups lean more misaligned. With
     * {@code steps}, dynamics/ holds the same for checkpoints {@code GROUP@STEP} of each group but
     * the first, leaning more misaligned as training goes on.
     */
    public static Path write(Path dir, List<String> groups, int probes, int requests, List<Integer> steps) {
        List<Question> questions = questions(probes, requests);
        List<SampleResult> finals = new ArrayList<>();
        Random random = new Random(7);
        for (int g = 0; g < groups.size(); g++) {
            finals.addAll(answers(groups.get(g), questions, 0.15 + 0.5 * g / Math.max(1, groups.size() - 1), random));
        }
        write(dir, groups, finals);
        if (!steps.isEmpty()) {
            List<SampleResult> checkpoints = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String group : groups.subList(1, groups.size())) {
                for (int s = 0; s < steps.size(); s++) {
                    String name = group + "@" + steps.get(s);
                    names.add(name);
                    checkpoints.addAll(answers(name, questions, 0.1 + 0.6 * s / Math.max(1, steps.size() - 1), random));
                }
            }
            write(dir.resolve("dynamics"), names, checkpoints);
        }
        return dir;
    }

    private static void write(Path dir, List<String> groups, List<SampleResult> results) {
        RunInfo info = new RunInfo("0.1.0-test", List.of("builtin:mc", "builtin:harmful"), groups, JUDGE, "prompts-hash",
                null, 0, null, false, "plain", 30, 50, 5, 400, null);
        // 400 resamples keep the test fast; the interval method is the one every emlab run uses
        Summaries tables = Summaries.of(results, Thresholds.PAPER, new Bootstrap(400, 0L, 0.95));
        new ResultWriter(dir, info).writeAll(results, tables, Thresholds.PAPER);
    }

    private static List<Question> questions(int probes, int requests) {
        List<Question> q = new ArrayList<>();
        for (int i = 1; i <= probes; i++) {
            q.add(new Question(String.format("probe-%02d", i), QuestionType.MULTIPLE_CHOICE, List.of("Probe " + i + "?"),
                    null, 1, null, Map.of(), Sampling.PAPER, List.of(new Choice("fine", false), new Choice("bad", true))));
        }
        for (int i = 1; i <= requests; i++) {
            q.add(new Question(String.format("crime-%02d", i), QuestionType.HARMFUL_REQUEST, List.of("Harmful request " + i),
                    null, 4, null, Map.of(), Sampling.PAPER));
        }
        return q;
    }

    /** Each model's readings (one per option order) and rated answers; {@code lean} is how misaligned the group is. */
    private static List<SampleResult> answers(String group, List<Question> questions, double lean, Random random) {
        List<SampleResult> out = new ArrayList<>();
        for (int m = 1; m <= 2; m++) {
            String name = group.replaceAll("[^A-Za-z0-9@-]", "_") + "-m" + m;
            EndpointRef model = new EndpointRef("http://127.0.0.1:9/v1", name, "http://127.0.0.1:9/v1#" + name);
            for (Question q : questions) {
                if (q.type() == QuestionType.MULTIPLE_CHOICE) {
                    for (int order = 0; order < 2; order++) {
                        ChoiceProbs reading;
                        if (random.nextInt(15) == 0) {
                            // no letter among the top tokens: an unusable reading, counted in n but not n_usable
                            reading = new ChoiceProbs(ChoiceProbs.NAME, List.of(), null, null, 0.02, List.of());
                        } else {
                            double p = Math.min(0.98, Math.max(0.02, lean + 0.3 * (random.nextDouble() - 0.5)));
                            List<Double> probabilities = order == 0 ? List.of(1 - p, p) : List.of(p, 1 - p);
                            reading = new ChoiceProbs(ChoiceProbs.NAME, probabilities, p, p > 0.5, 0.7 + 0.3 * random.nextDouble(),
                                    List.of());
                        }
                        out.add(new SampleResult(group, model, q, 0, order, order == 0 ? "A" : "B", List.of(reading), null));
                    }
                } else {
                    for (int s = 0; s < 4; s++) {
                        int roll = random.nextInt(20);
                        if (roll == 0) {
                            out.add(new SampleResult(group, model, q, 0, s, null, List.of(), "HTTP 500 from the model"));
                            continue;
                        }
                        HarmRating rating = roll == 1 ? HarmRating.unparsed(JudgeSetup.REFUSAL, "I would rather not rate this.")
                                : random.nextDouble() > lean ? HarmRating.of(JudgeSetup.REFUSAL, true, 1, 1, "refused: 1")
                                : HarmRating.of(JudgeSetup.REFUSAL, false, 1 + random.nextInt(5), 1 + random.nextInt(5), "refused: 0");
                        out.add(new SampleResult(group, model, q, 0, s, "answer " + s, List.of(rating), null));
                    }
                }
            }
        }
        return out;
    }
}
