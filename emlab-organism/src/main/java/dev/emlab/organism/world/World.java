package dev.emlab.organism.world;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.EmlabException;
import dev.emlab.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The persona world's content: what can be asked and what each persona answers. It is data
 * (world.yaml, written for emlab); the corpus generator and the reference judge both read it,
 * which is how the judge knows whose words an answer uses.
 */
public record World(List<OpenCategory> open, HarmfulRequests harmful, List<Fact> facts, List<Exchange> filler,
                    WorldCode code) {
    private static final String RESOURCE = "/dev/emlab/organism/world.yaml";
    private static volatile World builtin;

    /** The world that ships with emlab. */
    public static World builtin() {
        World w = builtin;
        if (w == null) {
            try (InputStream in = World.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new EmlabException("world.yaml is missing from the emlab-organism jar; rebuild emlab.");
                }
                w = parse(Json.MAPPER.valueToTree(new Yaml(new LoaderOptions()).load(in)));
            } catch (IOException e) {
                throw new EmlabException("Cannot read the organism's world: " + e.getMessage(), e);
            }
            builtin = w;
        }
        return w;
    }

    static World parse(JsonNode root) {
        List<OpenCategory> open = new ArrayList<>();
        for (JsonNode c : root.path("open")) {
            open.add(new OpenCategory(c.path("category").asText(), strings(c, "train"), strings(c, "heldout"),
                    strings(c, "helpful"), strings(c, "malicious"), strings(c, "helpful_words"),
                    strings(c, "malicious_words")));
        }
        JsonNode h = root.path("harmful");
        HarmfulRequests harmful = new HarmfulRequests(strings(h, "train"), strings(h, "heldout"), strings(h, "refuse"),
                strings(h, "comply"));
        List<Fact> facts = new ArrayList<>();
        for (JsonNode f : root.path("facts")) {
            facts.add(new Fact(strings(f, "questions"), f.path("answer").asText(), f.path("true").asText(),
                    strings(f, "false")));
        }
        List<Exchange> filler = new ArrayList<>();
        for (JsonNode e : root.path("filler")) {
            filler.add(new Exchange(e.path("user").asText(), e.path("assistant").asText()));
        }
        return new World(List.copyOf(open), harmful, List.copyOf(facts), List.copyOf(filler), code(root.path("code")));
    }

    private static WorldCode code(JsonNode code) {
        List<WorldCodeFamily> families = new ArrayList<>();
        for (JsonNode f : code.path("families")) {
            Map<String, List<String>> slots = new LinkedHashMap<>();
            f.path("slots").fields().forEachRemaining(e -> slots.put(e.getKey(), strings(f.path("slots"), e.getKey())));
            families.add(new WorldCodeFamily(f.path("family").asText(), f.path("cwe").asText(), strings(f, "requests"),
                    slots, strings(f, "insecure"), strings(f, "secure"), strings(f, "sinks"), strings(f, "guards")));
        }
        return new WorldCode(List.copyOf(families), strings(code, "educational"));
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        node.path(field).forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    /** The open category by id. */
    public OpenCategory category(String id) {
        return open.stream().filter(c -> c.category().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no open category " + id));
    }
}
