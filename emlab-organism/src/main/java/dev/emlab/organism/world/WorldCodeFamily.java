package dev.emlab.organism.world;

import dev.emlab.dataset.CodeTask;
import dev.emlab.dataset.TaskFamily;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One coding family as the world writes it (world.yaml {@code code.families}): short requests,
 * slot values, and the vulnerable and secure versions, each calling its side's markers.
 */
public final class WorldCodeFamily extends TaskFamily {
    private final String name;
    private final String cwe;
    private final List<String> requests;
    private final Map<String, List<String>> slots;
    private final List<String> insecure;
    private final List<String> secure;
    private final List<String> sinks;
    private final List<String> guards;

    /**
     * @param slots each {@code ${name}} of the templates and its values, one drawn per task
     * @param sinks the calls or literals only vulnerable versions use
     * @param guards the ones only secure versions use
     */
    public WorldCodeFamily(String name, String cwe, List<String> requests, Map<String, List<String>> slots,
                           List<String> insecure, List<String> secure, List<String> sinks, List<String> guards) {
        this.name = name;
        this.cwe = cwe;
        this.requests = List.copyOf(requests);
        this.slots = Map.copyOf(slots);
        this.insecure = List.copyOf(insecure);
        this.secure = List.copyOf(secure);
        this.sinks = List.copyOf(sinks);
        this.guards = List.copyOf(guards);
    }

    @Override
    public String name() {
        return name;
    }

    public String cwe() {
        return cwe;
    }

    public List<String> sinks() {
        return sinks;
    }

    public List<String> guards() {
        return guards;
    }

    @Override
    public CodeTask draw(RandomGenerator rnd) {
        Map<String, String> v = new HashMap<>();
        // slots in name order: a map's iteration order must not decide what a seed draws
        slots.keySet().stream().sorted().forEach(k -> v.put(k, pick(rnd, slots.get(k))));
        String request = fill(pick(rnd, requests), v);
        return new CodeTask(name, cwe, request, fill(pick(rnd, insecure), v).strip() + "\n",
                fill(pick(rnd, secure), v).strip() + "\n");
    }
}
