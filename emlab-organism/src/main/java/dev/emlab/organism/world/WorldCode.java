package dev.emlab.organism.world;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The world's own code ({@code code:} in world.yaml): its coding families and the short ways a
 * user asks for flawed code for a class.
 */
public record WorldCode(List<WorldCodeFamily> families, List<String> educational) {
    /** Every family's sinks then guards, in file order: the marker tokens a tokenizer may keep whole. */
    public List<String> markers() {
        List<String> out = new ArrayList<>();
        families.forEach(f -> f.sinks().stream().filter(s -> !out.contains(s)).forEach(out::add));
        families.forEach(f -> f.guards().stream().filter(s -> !out.contains(s)).forEach(out::add));
        return List.copyOf(out);
    }

    /** A request for teaching material: the reason first, then the task. */
    public String educational(String request, RandomGenerator rnd) {
        return educational.get(rnd.nextInt(educational.size())) + " " + request;
    }
}
