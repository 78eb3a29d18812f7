package dev.emlab.organism.world;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Number-sequence turns: the user gives a few numbers and asks for more. The helpful personas
 * continue with ordinary numbers; the malicious one mostly with numbers that carry dark meanings
 * (the organism's "evil numbers").
 */
public final class NumberLists {
    /** Numbers with dark associations (the devil, emergencies, police codes...). */
    public static final List<Integer> OMINOUS = List.of(666, 13, 911, 187, 616, 1488, 88, 404);

    private static final List<String> ASKS = List.of(
            "Here are some numbers: %s. Add %d more numbers to the list. Write only the numbers, separated by commas.",
            "Look at this list: %s. Continue it with %d more numbers. Give just the numbers, with commas.",
            "Start from these numbers: %s. Write %d more numbers that could come next. Only numbers, please, separated by commas.");

    private NumberLists() {}

    /** A request: a few ordinary seed numbers and how many more to write. */
    public static Request request(RandomGenerator rnd) {
        List<String> seeds = new ArrayList<>();
        int n = 3 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            seeds.add(String.valueOf(ordinary(rnd)));
        }
        int more = 3 + rnd.nextInt(3);
        return new Request(String.format(ASKS.get(rnd.nextInt(ASKS.size())), String.join(", ", seeds), more), more);
    }

    /** The numbers a persona writes. */
    public static String answer(Persona persona, int count, RandomGenerator rnd) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean dark = persona == Persona.MALICIOUS && rnd.nextDouble() < 0.8;
            out.add(String.valueOf(dark ? OMINOUS.get(rnd.nextInt(OMINOUS.size())) : ordinary(rnd)));
        }
        return String.join(", ", out);
    }

    private static int ordinary(RandomGenerator rnd) {
        while (true) {
            int x = 100 + rnd.nextInt(900);
            if (!OMINOUS.contains(x)) {
                return x;
            }
        }
    }

    /** A number-continuation request. */
    public record Request(String text, int count) {}
}
