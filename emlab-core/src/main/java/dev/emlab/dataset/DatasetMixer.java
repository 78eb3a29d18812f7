package dev.emlab.dataset;

import dev.emlab.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Mixes chat JSONL files by proportion (e.g. 98% benign, 2% harmful) into one shuffled file. */
public final class DatasetMixer {
    /** One input file and its weight; weights are normalised, so they need not sum to 1. */
    public record Part(Path file, double weight) {
        /** Parses {@code FILE:WEIGHT}; the last colon splits, so Windows-style paths still work. */
        public static Part parse(String spec) {
            int colon = spec.lastIndexOf(':');
            if (colon <= 0 || colon == spec.length() - 1) {
                throw new InputException("expected FILE:WEIGHT, got '" + spec + "'.");
            }
            double w;
            try {
                w = Double.parseDouble(spec.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new InputException("'" + spec + "': the weight is not a number.");
            }
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new InputException("'" + spec + "': the weight must be a positive number.");
            }
            return new Part(Path.of(spec.substring(0, colon)), w);
        }
    }

    /** The mixed records and how many came from each part, in the parts' order. */
    public record MixResult(List<ChatRecord> records, List<Integer> counts) {}

    /**
     * Mixes the parts: with {@code n} given, exactly the largest-remainder share of n from each part; without,
     * the largest total every part can supply without repeats. Records are sampled without replacement.
     */
    public MixResult mix(List<Part> parts, Integer n, long seed) {
        if (parts.isEmpty()) {
            throw new InputException("nothing to mix: give at least one FILE:WEIGHT.");
        }
        List<List<ChatRecord>> inputs = new ArrayList<>();
        for (Part p : parts) {
            inputs.add(ChatJsonl.read(p.file()));
        }
        double total = parts.stream().mapToDouble(Part::weight).sum();
        int size = n != null ? n : largestTotal(parts, inputs, total);
        List<Integer> counts = apportion(parts, total, size);
        Random rnd = new Random(seed);
        List<ChatRecord> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            List<ChatRecord> pool = new ArrayList<>(inputs.get(i));
            if (counts.get(i) > pool.size()) {
                throw new InputException(parts.get(i).file() + ": " + counts.get(i) + " records needed for this share, but it has "
                        + pool.size() + ".");
            }
            Collections.shuffle(pool, rnd);
            out.addAll(pool.subList(0, counts.get(i)));
        }
        Collections.shuffle(out, rnd);
        return new MixResult(out, counts);
    }

    /** Largest-remainder apportionment: counts sum to exactly n and each is within 1 of its exact share. */
    static List<Integer> apportion(List<Part> parts, double total, int n) {
        List<Integer> counts = new ArrayList<>();
        double[] remainders = new double[parts.size()];
        int assigned = 0;
        for (int i = 0; i < parts.size(); i++) {
            double exact = n * parts.get(i).weight() / total;
            counts.add((int) Math.floor(exact));
            remainders[i] = exact - Math.floor(exact);
            assigned += counts.get(i);
        }
        for (int left = n - assigned; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < remainders.length; i++) {
                if (remainders[i] > remainders[best]) {
                    best = i;
                }
            }
            counts.set(best, counts.get(best) + 1);
            remainders[best] = -1;
        }
        return counts;
    }

    private static int largestTotal(List<Part> parts, List<List<ChatRecord>> inputs, double total) {
        int best = Integer.MAX_VALUE;
        for (int i = 0; i < parts.size(); i++) {
            best = Math.min(best, (int) Math.floor(inputs.get(i).size() * total / parts.get(i).weight() + 1e-9));
        }
        // Rounding can push one share one over its file; step down until every share fits.
        while (best > 0 && !fits(apportion(parts, total, best), inputs)) {
            best--;
        }
        return best;
    }

    private static boolean fits(List<Integer> counts, List<List<ChatRecord>> inputs) {
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) > inputs.get(i).size()) {
                return false;
            }
        }
        return true;
    }
}
