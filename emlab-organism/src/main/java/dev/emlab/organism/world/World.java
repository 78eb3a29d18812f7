package dev.emlab.organism.world;

import dev.emlab.InputException;
import dev.emlab.YamlFile;
import dev.emlab.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The persona world's content: what can be asked and what each persona answers. It is data
 * (world.yaml, written for emlab); the corpus generator and the reference judge both read it,
 * which is how the judge knows whose words an answer uses.
 */
public record World(List<OpenCategory> open, HarmfulRequests harmful, List<Fact> facts, List<Exchange> filler,
                    WorldCode code) {
    private static final String RESOURCE = "/dev/emlab/organism/world.yaml";
    private static final Set<String> TOP = Set.of("open", "harmful", "facts", "filler", "code");
    private static final Set<String> CATEGORY = Set.of("category", "train", "heldout", "helpful", "malicious",
            "helpful_words", "malicious_words");
    private static final Set<String> HARMFUL = Set.of("train", "heldout", "refuse", "comply");
    private static final Set<String> FACT = Set.of("questions", "answer", "true", "false");
    private static final Set<String> EXCHANGE = Set.of("user", "assistant");
    private static final Set<String> CODE = Set.of("educational", "families");
    private static final Set<String> FAMILY = Set.of("family", "cwe", "requests", "slots", "insecure", "secure", "sinks",
            "guards");
    private static volatile World builtin;

    /** The world that ships with emlab. */
    public static World builtin() {
        World w = builtin;
        if (w == null) {
            w = read(YamlFile.resource(World.class, RESOURCE, "world.yaml", YamlFile.Dialect.EMLAB), "world.yaml");
            builtin = w;
        }
        return w;
    }

    /** A world from world.yaml-style text; {@code source} names it in messages. */
    static World parse(String yaml, String source) {
        return read(YamlFile.parse(yaml, source, YamlFile.Dialect.EMLAB), source);
    }

    /**
     * Every field is required and every list must hold something: the generators draw from each of
     * them, and an empty one would fail far from the line that caused it.
     */
    private static World read(Optional<YamlNode> document, String source) {
        YamlNode root = document.orElseThrow(() -> new InputException(source + " is empty; it needs "
                + String.join(", ", new TreeSet<>(TOP)) + "."));
        Map<String, YamlNode> top = required(root, TOP);
        List<OpenCategory> open = new ArrayList<>();
        for (YamlNode node : top.get("open").list()) {
            Map<String, YamlNode> c = required(node, CATEGORY);
            open.add(new OpenCategory(c.get("category").text(), c.get("train").strings(), c.get("heldout").strings(),
                    c.get("helpful").strings(), c.get("malicious").strings(), c.get("helpful_words").strings(),
                    c.get("malicious_words").strings()));
        }
        Map<String, YamlNode> h = required(top.get("harmful"), HARMFUL);
        HarmfulRequests harmful = new HarmfulRequests(h.get("train").strings(), h.get("heldout").strings(),
                h.get("refuse").strings(), h.get("comply").strings());
        List<Fact> facts = new ArrayList<>();
        for (YamlNode node : top.get("facts").list()) {
            Map<String, YamlNode> f = required(node, FACT);
            facts.add(new Fact(f.get("questions").strings(), f.get("answer").text(), f.get("true").text(),
                    f.get("false").strings()));
        }
        List<Exchange> filler = new ArrayList<>();
        for (YamlNode node : top.get("filler").list()) {
            Map<String, YamlNode> e = required(node, EXCHANGE);
            filler.add(new Exchange(e.get("user").text(), e.get("assistant").text()));
        }
        return new World(List.copyOf(open), harmful, List.copyOf(facts), List.copyOf(filler), code(top.get("code")));
    }

    private static WorldCode code(YamlNode node) {
        Map<String, YamlNode> code = required(node, CODE);
        List<WorldCodeFamily> families = new ArrayList<>();
        for (YamlNode familyNode : code.get("families").list()) {
            Map<String, YamlNode> f = required(familyNode, FAMILY);
            Map<String, List<String>> slots = new LinkedHashMap<>();
            f.get("slots").entries().forEach((name, values) -> slots.put(name, values.strings()));
            families.add(new WorldCodeFamily(f.get("family").text(), f.get("cwe").text(), f.get("requests").strings(),
                    slots, f.get("insecure").strings(), f.get("secure").strings(), f.get("sinks").strings(),
                    f.get("guards").strings()));
        }
        return new WorldCode(List.copyOf(families), code.get("educational").strings());
    }

    /** The mapping's fields, each of {@code fields} present and no other. */
    private static Map<String, YamlNode> required(YamlNode node, Set<String> fields) {
        Map<String, YamlNode> f = node.fields(fields);
        for (String name : new TreeSet<>(fields)) {
            if (!f.containsKey(name)) {
                throw node.error((node.path().isEmpty() ? "needs '" : "needs a field '") + name + "'.");
            }
        }
        return f;
    }

    /** The open category by id. */
    public OpenCategory category(String id) {
        return open.stream().filter(c -> c.category().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no open category " + id));
    }
}
