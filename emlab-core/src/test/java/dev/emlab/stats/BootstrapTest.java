package dev.emlab.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private static boolean[] outcomes(int yes, int n) {
        boolean[] o = new boolean[n];
        for (int i = 0; i < yes; i++) {
            o[i] = true;
        }
        return o;
    }

    /** Exact binomial CDF, the independent reference for the bootstrap of one rate. */
    private static double binomialCdf(int k, int n, double p) {
        double sum = 0;
        for (int i = 0; i <= k; i++) {
            double c = 1;
            for (int j = 0; j < i; j++) {
                c = c * (n - j) / (j + 1);
            }
            sum += c * Math.pow(p, i) * Math.pow(1 - p, n - i);
        }
        return sum;
    }

    private static int binomialQuantile(double q, int n, double p) {
        for (int k = 0; k <= n; k++) {
            if (binomialCdf(k, n, p) >= q) {
                return k;
            }
        }
        return n;
    }

    @Test
    void oneRateMatchesTheBinomialQuantiles() {
        // Resampling 20 outcomes with 6 yes is Binomial(20, 0.3)/20: its 2.5% and 97.5% quantiles
        // are 2/20 and 10/20 (CDF(1)=.0076, CDF(2)=.0355, CDF(9)=.952, CDF(10)=.983).
        assertEquals(2, binomialQuantile(0.025, 20, 0.3));
        assertEquals(10, binomialQuantile(0.975, 20, 0.3));
        Estimate e = Bootstrap.paper().rate(outcomes(6, 20));
        assertEquals(0.3, e.value(), 1e-12);
        assertEquals(0.10, e.ci().low(), 1e-12);
        assertEquals(0.50, e.ci().high(), 1e-12);
    }

    @Test
    void allOrNothingHasADegenerateInterval() {
        Estimate none = Bootstrap.paper().rate(outcomes(0, 30));
        assertEquals(0.0, none.ci().low());
        assertEquals(0.0, none.ci().high());
        Estimate all = Bootstrap.paper().rate(outcomes(30, 30));
        assertEquals(1.0, all.ci().low());
        assertEquals(1.0, all.ci().high());
    }

    @Test
    void groupStatisticIsTheMeanOverMembersOfTheirMeanOverQuestions() {
        // member A: questions at 1/2 and 0/4 -> 0.25; member B: one question at 3/4 -> 0.75; mean 0.5
        List<List<boolean[]>> data = List.of(
                List.of(outcomes(1, 2), outcomes(0, 4)),
                List.of(outcomes(3, 4)));
        Estimate e = Bootstrap.paper().rate(data);
        assertEquals(0.5, e.value(), 1e-12);
        assertTrue(e.ci().low() <= 0.5 && e.ci().high() >= 0.5);
    }

    @Test
    void membersThatDisagreeWidenTheInterval() {
        // Two members with 0/50 and 50/50: resampling members alone already spans 0..1.
        Estimate split = Bootstrap.paper().rate(List.of(List.of(outcomes(0, 50)), List.of(outcomes(50, 50))));
        assertEquals(0.5, split.value(), 1e-12);
        assertEquals(0.0, split.ci().low());
        assertEquals(1.0, split.ci().high());
        // The same 50/100 pooled into one member is far tighter.
        Estimate pooled = Bootstrap.paper().rate(outcomes(50, 100));
        assertTrue(pooled.ci().high() - pooled.ci().low() < 0.25);
    }

    @Test
    void sameSeedSameInterval() {
        Estimate a = new Bootstrap(500, 7, 0.95).rate(outcomes(13, 40));
        Estimate b = new Bootstrap(500, 7, 0.95).rate(outcomes(13, 40));
        assertEquals(a, b);
    }

    @Test
    void quantileUsesTheCeilingRank() {
        double[] sorted = new double[2000];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i;
        }
        assertEquals(49, Bootstrap.quantile(sorted, 0.025));
        assertEquals(1949, Bootstrap.quantile(sorted, 0.975));
    }

    @Test
    void meanIsTheMeanOverMembersOfTheMeanOverQuestions() {
        // member a: questions with means 0.5 and 0.2 -> 0.35; member b: one question with mean 0.9
        List<List<double[]>> values = List.of(
                List.of(new double[] {0.25, 0.75}, new double[] {0.1, 0.3, 0.2}),
                List.of(new double[] {0.9}));
        Estimate e = new Bootstrap(500, 3L, 0.95).mean(values);
        assertEquals((0.35 + 0.9) / 2, e.value(), 1e-12);
        assertTrue(e.ci().low() <= e.value() && e.value() <= e.ci().high());
        // a quarter of resamples draw b twice, whose single value never varies: the top is exactly 0.9
        assertEquals(0.9, e.ci().high(), 1e-12);
        // a quarter draw a twice, spread around 0.35 by resampling its values, never below (0.25 + 0.1) / 2
        assertTrue(e.ci().low() < 0.35 && e.ci().low() >= 0.175 - 1e-12, "low " + e.ci().low());
    }

    @Test
    void rateOfYesNoOutcomesEqualsTheMeanOfZerosAndOnes() {
        Bootstrap b = new Bootstrap(300, 9L, 0.9);
        List<List<boolean[]>> yesNo = List.of(List.of(outcomes(3, 10), outcomes(7, 8)), List.of(outcomes(1, 5)));
        List<List<double[]>> zeroOne = List.of(
                List.of(new double[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, new double[] {1, 1, 1, 1, 1, 1, 1, 0}),
                List.of(new double[] {1, 0, 0, 0, 0}));
        assertEquals(b.mean(zeroOne), b.rate(yesNo));
    }

    @Test
    void pairedDifferenceResamplesUnitsTogether() {
        // a says yes on units 0..5 of 20, b on none: each unit's a-b is 1 or 0, so a resample's
        // difference is Binomial(20, 0.3)/20, whose quantiles are known exactly.
        boolean[] a = outcomes(6, 20);
        boolean[] none = outcomes(0, 20);
        Estimate d = Bootstrap.paper().difference(a, none);
        assertEquals(0.3, d.value(), 1e-12);
        assertEquals(binomialQuantile(0.025, 20, 0.3) / 20.0, d.ci().low(), 1e-12);
        assertEquals(binomialQuantile(0.975, 20, 0.3) / 20.0, d.ci().high(), 1e-12);
        Estimate reversed = Bootstrap.paper().difference(none, a);
        assertEquals(-0.3, reversed.value(), 1e-12);
        assertEquals(-0.5, reversed.ci().low(), 1e-12);
        assertEquals(-0.1, reversed.ci().high(), 1e-12);

        // x: yes on units 0..9; y: yes on 4..11. Units 0..3 give +1, 10..11 give -1, the rest 0.
        boolean[] x = outcomes(10, 20);
        boolean[] y = new boolean[20];
        for (int i = 4; i < 12; i++) {
            y[i] = true;
        }
        Estimate mixed = Bootstrap.paper().difference(x, y);
        assertEquals(0.1, mixed.value(), 1e-12);
        assertTrue(mixed.ci().low() < 0 && mixed.ci().high() > 0.1, mixed.toString());
        // units that agree add nothing to the spread: the same outcomes in both give exactly [0, 0]
        assertEquals(new Interval(0, 0), Bootstrap.paper().difference(x, x.clone()).ci());
    }

    @Test
    void pairedDifferenceNeedsPairs() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.paper().difference(outcomes(1, 3), outcomes(1, 4)));
    }

    @Test
    void aStratumOfOneMemberAddsNoMemberVariation() {
        // one fine-tune of each of two bases, 0/50 and 50/50: free resampling spans 0..1 (above);
        // resampled within their bases, each draw keeps both, and their outcomes do not vary
        Map<String, List<boolean[]>> members = new LinkedHashMap<>();
        members.put("a+ft", List.of(outcomes(0, 50)));
        members.put("b+ft", List.of(outcomes(50, 50)));
        Estimate free = Bootstrap.paper().rateOfMembers(members);
        assertEquals(0.0, free.ci().low());
        assertEquals(1.0, free.ci().high());
        Estimate stratified = Bootstrap.paper().withStrata(Map.of("a+ft", "a", "b+ft", "b")).rateOfMembers(members);
        assertEquals(0.5, stratified.value(), 1e-12);
        assertEquals(0.5, stratified.ci().low(), 1e-12);
        assertEquals(0.5, stratified.ci().high(), 1e-12);
    }

    @Test
    void membersAreDrawnFromTheirOwnStratum() {
        // base a: two seeds at 1; base b: seeds at 1 and 0. Within b two draws give 0, 1 or 2
        // ones (1/4, 1/2, 1/4), so the statistic is (2 + k) / 4 in {0.5, 0.75, 1}: interval [0.5, 1].
        // Drawn freely from all four, the zero seed comes 3 or 4 times with probability 13/256 > 2.5%.
        Map<String, List<boolean[]>> members = new LinkedHashMap<>();
        members.put("a1", List.of(outcomes(20, 20)));
        members.put("b1", List.of(outcomes(20, 20)));
        members.put("a2", List.of(outcomes(20, 20)));
        members.put("b2", List.of(outcomes(0, 20)));
        Map<String, String> strata = Map.of("a1", "a", "a2", "a", "b1", "b", "b2", "b");
        Estimate stratified = Bootstrap.paper().withStrata(strata).rateOfMembers(members);
        assertEquals(0.75, stratified.value(), 1e-12);
        assertEquals(0.5, stratified.ci().low(), 1e-12);
        assertEquals(1.0, stratified.ci().high(), 1e-12);
        Estimate free = Bootstrap.paper().rateOfMembers(members);
        assertEquals(0.25, free.ci().low(), 1e-12, "free draws of 4 from {1,1,1,0}: 2.5% quantile is 1/4");
    }

    @Test
    void membersTheStrataDoNotNameShareOneStratum() {
        Map<String, List<boolean[]>> members = new LinkedHashMap<>();
        members.put("x", List.of(outcomes(3, 30), outcomes(10, 30)));
        members.put("y", List.of(outcomes(9, 30), outcomes(1, 30)));
        members.put("z", List.of(outcomes(0, 30), outcomes(5, 30)));
        Estimate plain = Bootstrap.paper().rate(List.copyOf(members.values()));
        assertEquals(plain, Bootstrap.paper().rateOfMembers(members));
        assertEquals(plain, Bootstrap.paper().withStrata(Map.of("other", "s")).rateOfMembers(members));
    }
}
