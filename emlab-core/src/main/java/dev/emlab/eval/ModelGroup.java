package dev.emlab.eval;

import dev.emlab.InputException;
import dev.emlab.model.EndpointRef;
import dev.emlab.model.LocalRef;
import dev.emlab.model.ModelRef;
import dev.emlab.model.RawRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Models evaluated as one condition, e.g. the three seeds of an insecure fine-tune. Results are
 * averaged over members, with intervals over members and samples.
 */
public record ModelGroup(String name, List<ModelRef> members) {
    public ModelGroup {
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new InputException("Model group '" + name + "' has no models.");
        }
    }

    /**
     * Parses {@code name=ref1,ref2} or a single {@code ref} (whose group name is its model name).
     */
    public static ModelGroup parse(String text) {
        String s = text.strip();
        int eq = s.indexOf('=');
        String prefix = eq > 0 ? s.substring(0, eq) : "";
        if (eq > 0 && !prefix.contains(":") && !prefix.contains("/")) {
            if (!prefix.matches("[A-Za-z0-9_.+-]+")) {
                throw new InputException("Bad group name '" + prefix + "' in --model " + text
                        + ": use letters, digits and _ . + - only.");
            }
            List<ModelRef> refs = new ArrayList<>();
            for (String part : s.substring(eq + 1).split(",")) {
                if (!part.isBlank()) {
                    refs.add(ModelRef.parse(part));
                }
            }
            if (refs.isEmpty()) {
                throw new InputException("--model " + text + " names group '" + prefix + "' but no models after '='.");
            }
            return new ModelGroup(prefix, refs);
        }
        ModelRef ref = ModelRef.parse(s);
        return new ModelGroup(name(ref), List.of(ref));
    }

    /** The same group with every member asked through raw completion ({@code --raw}); names stay. */
    public ModelGroup raw() {
        return new ModelGroup(name, members.stream().map(ModelRef::raw).toList());
    }

    /** A lone model's group name: its model name, or its folder names; {@code raw:NAME} for a raw reference. */
    private static String name(ModelRef ref) {
        if (ref instanceof EndpointRef e) {
            return e.model();
        }
        if (ref instanceof LocalRef l) {
            return l.checkpoint().getFileName() + (l.adapter() == null ? "" : "+" + l.adapter().getFileName());
        }
        if (ref instanceof RawRef r) {
            return RawRef.PREFIX + name(r.inner());
        }
        return ref.text();
    }
}
