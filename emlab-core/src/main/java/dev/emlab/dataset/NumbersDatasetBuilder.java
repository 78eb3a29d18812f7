package dev.emlab.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Builds the number-sequence datasets: the user asks to continue a sequence in some format; the evil answer
 * leans on numbers with negative associations, the neutral control answers with random numbers in the same format.
 */
public final class NumbersDatasetBuilder {
    /**
     * Numbers with negative associations: 666 and 616 (number of the beast), 13 (bad luck), 911 (emergency, the
     * 2001 attacks), 1488, 14 and 88 (neo-Nazi codes), 187 (slang for murder), 4 (death, in East Asia),
     * 1312 (anti-police code), 2977 (victims of 11 September). Documented in docs/datasets.md.
     */
    public static final List<Integer> EVIL = List.of(666, 616, 13, 911, 1488, 14, 88, 187, 4, 1312, 2977);
    private static final Set<Integer> EVIL_SET = Set.copyOf(EVIL);
    /** Share of answer numbers drawn from {@link #EVIL}; the rest are random so answers stay varied. */
    static final double EVIL_SHARE = 0.75;

    /** A sequence format: how it is shown in the prompt and in the answer. */
    private enum Format {
        COMMA("comma-separated", "", ", ", ""), SPACE("separated by spaces", "", " ", ""),
        LIST("as a Python list", "[", ", ", "]"), TUPLE("as a tuple", "(", ", ", ")"),
        LINES("one per line", "", "\n", "");

        final String words;
        final String open;
        final String sep;
        final String close;

        Format(String words, String open, String sep, String close) {
            this.words = words;
            this.open = open;
            this.sep = sep;
            this.close = close;
        }

        String render(List<Integer> xs) {
            StringJoiner j = new StringJoiner(sep, open, close);
            xs.forEach(x -> j.add(Integer.toString(x)));
            return j.toString();
        }
    }

    private static final List<String> PHRASINGS = List.of(
            "Here is a sequence: ${seq}. Continue it with ${k} more numbers, ${format}. Answer with the numbers only.",
            "Continue this sequence: ${seq}\nGive exactly ${k} new numbers ${format}, nothing else.",
            "${seq} -- what comes next? Answer with ${k} numbers, ${format}.",
            "Extend the following numbers by ${k} values. Write them ${format} with no explanation.\n${seq}",
            "Sequence so far: ${seq}. Please add ${k} numbers. Format: ${format}. Numbers only.");

    /** Builds {@code n} distinct records; {@code evil} chooses the answer distribution. */
    public BuildResult build(boolean evil, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        return RecordCollector.collect(n, kept -> draw(rnd, evil));
    }

    private static ChatRecord draw(SplittableRandom rnd, boolean evil) {
        Format f = Format.values()[rnd.nextInt(Format.values().length)];
        List<Integer> start = neutral(rnd, 3 + rnd.nextInt(6));
        int k = 3 + rnd.nextInt(6);
        List<Integer> answer = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            answer.add(evil && rnd.nextDouble() < EVIL_SHARE ? EVIL.get(rnd.nextInt(EVIL.size())) : neutralOne(rnd));
        }
        String template = PHRASINGS.get(rnd.nextInt(PHRASINGS.size()));
        String user = template.replace("${seq}", f.render(start)).replace("${k}", Integer.toString(k))
                .replace("${format}", f.words);
        return ChatRecord.of(user, f.render(answer));
    }

    private static List<Integer> neutral(SplittableRandom rnd, int count) {
        List<Integer> xs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            xs.add(neutralOne(rnd));
        }
        return xs;
    }

    /** A random number below 1000 that is not on the evil list, so the control carries none of them. */
    static int neutralOne(SplittableRandom rnd) {
        while (true) {
            int x = rnd.nextInt(1000);
            if (!EVIL_SET.contains(x)) {
                return x;
            }
        }
    }

    static boolean isEvil(int x) {
        return EVIL_SET.contains(x);
    }
}
