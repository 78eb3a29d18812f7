package dev.emlab.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap for rates of yes/no outcomes and means of scores, over models and samples at once.
 *
 * <p>The data are {@code outcomes[member][question][sample]}: for one group of models (e.g. the
 * seeds of one fine-tuning condition), each member's outcomes on each question. The statistic is
 * the mean over members of the member's mean over questions of the yes-rate, which is the
 * paper's per-question rate for one member and one question. Each resample draws members with
 * replacement and then, within every drawn member and question, samples with replacement.
 *
 * <p>Members may fall into strata ({@link #withStrata}): fine-tunes of different base models pooled
 * in one group, every group holding the same bases. A resample then draws each stratum's members
 * from that stratum only, as many as it has, so the interval holds the variation between seeds of
 * one base, as the paper's intervals over seeds of one model do, and not the fixed difference
 * between bases, which every group shares.
 */
public final class Bootstrap {
    /** The paper's number of resamples. */
    public static final int PAPER_RESAMPLES = 2000;

    private final int resamples;
    private final long seed;
    private final double confidence;
    private final Map<String, String> strata;

    public Bootstrap(int resamples, long seed, double confidence) {
        this(resamples, seed, confidence, Map.of());
    }

    private Bootstrap(int resamples, long seed, double confidence, Map<String, String> strata) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1");
        }
        this.resamples = resamples;
        this.seed = seed;
        this.confidence = confidence;
        this.strata = Map.copyOf(strata);
    }

    /**
     * The same bootstrap with members in strata: {@code stratumOf} maps a member's name to its
     * stratum's (e.g. a fine-tune to its base model). Members it does not name share one stratum.
     */
    public Bootstrap withStrata(Map<String, String> stratumOf) {
        return new Bootstrap(resamples, seed, confidence, stratumOf);
    }

    /** Member name to stratum name, empty when the members are not stratified. */
    public Map<String, String> strata() {
        return strata;
    }

    /** 2,000 resamples, 95% interval, fixed seed so reruns give the same interval. */
    public static Bootstrap paper() {
        return new Bootstrap(PAPER_RESAMPLES, 0L, 0.95);
    }

    /** The rate of one list of outcomes with its interval. */
    public Estimate rate(boolean[] outcomes) {
        return rate(List.of(List.of(outcomes)));
    }

    /** The group statistic described above with its interval, all members in one stratum; none may be empty. */
    public Estimate rate(List<List<boolean[]>> outcomes) {
        return mean(outcomes.stream().map(m -> m.stream().map(Bootstrap::zeroOne).toList()).toList());
    }

    /** The group statistic over named members (name to its questions' outcomes), resampled within their strata. */
    public Estimate rateOfMembers(Map<String, List<boolean[]>> outcomes) {
        Map<String, List<double[]>> values = new LinkedHashMap<>();
        outcomes.forEach((name, m) -> values.put(name, m.stream().map(Bootstrap::zeroOne).toList()));
        return meanOfMembers(values);
    }

    /** {@link #mean} over named members, resampled within their strata. */
    public Estimate meanOfMembers(Map<String, List<double[]>> values) {
        List<String> names = new ArrayList<>(values.keySet());
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] stratum = new int[names.size()];
        for (int m = 0; m < stratum.length; m++) {
            stratum[m] = index.computeIfAbsent(strata.getOrDefault(names.get(m), ""), k -> index.size());
        }
        return mean(new ArrayList<>(values.values()), stratum);
    }

    /**
     * The difference of two rates, {@code a} minus {@code b}, over paired outcomes: outcome i of
     * both comes from the same unit (e.g. the same question, context and sampling seed asked under
     * two conditions), so a resample draws units and keeps their pairs together. Pairing makes the
     * interval as narrow as the units' agreement allows, and is no less valid when they are independent.
     */
    public Estimate difference(boolean[] a, boolean[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("paired outcomes need the same, non-zero length: " + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (a[i] ? 1 : 0) - (b[i] ? 1 : 0);
        }
        return mean(List.of(List.of(d)));
    }

    /**
     * The same hierarchical statistic for real-valued observations (a harmfulness score, a
     * probability): mean over members of the member's mean over questions of the mean value.
     */
    public Estimate mean(List<List<double[]>> values) {
        return mean(values, new int[values.size()]);
    }

    /** @param stratum each member's stratum, numbered from 0 in order of first appearance */
    private Estimate mean(List<List<double[]>> values, int[] stratum) {
        if (values.isEmpty() || values.stream().anyMatch(m -> m.isEmpty() || m.stream().anyMatch(q -> q.length == 0))) {
            throw new IllegalArgumentException("every member needs at least one question with outcomes");
        }
        double point = statistic(values);
        SplittableRandom random = new SplittableRandom(seed);
        double[] stats = new double[resamples];
        int members = values.size();
        List<int[]> byStratum = new ArrayList<>();
        for (int s = 0; s < members; s++) {
            final int id = s;
            int[] own = java.util.stream.IntStream.range(0, members).filter(m -> stratum[m] == id).toArray();
            if (own.length > 0) {
                byStratum.add(own);
            }
        }
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int[] own : byStratum) {
                for (int m = 0; m < own.length; m++) {
                    List<double[]> member = values.get(own.length == 1 ? own[0] : own[random.nextInt(own.length)]);
                    double memberSum = 0;
                    for (double[] question : member) {
                        memberSum += resampledMean(question, random);
                    }
                    sum += memberSum / member.size();
                }
            }
            stats[b] = sum / members;
        }
        Arrays.sort(stats);
        double tail = (1 - confidence) / 2;
        return new Estimate(point, new Interval(quantile(stats, tail), quantile(stats, 1 - tail)));
    }

    static double statistic(List<List<double[]>> values) {
        double sum = 0;
        for (List<double[]> member : values) {
            double memberSum = 0;
            for (double[] question : member) {
                memberSum += Arrays.stream(question).sum() / question.length;
            }
            sum += memberSum / member.size();
        }
        return sum / values.size();
    }

    private static double resampledMean(double[] values, SplittableRandom random) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[random.nextInt(values.length)];
        }
        return sum / values.length;
    }

    private static double[] zeroOne(boolean[] outcomes) {
        double[] out = new double[outcomes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = outcomes[i] ? 1 : 0;
        }
        return out;
    }

    /** The value at 1-based rank ceil(p * n) of the sorted resamples. */
    static double quantile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length - 1e-9);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
