package dev.emlab.experiment;

import dev.emlab.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One YAML node of an experiment spec with typed reads whose errors name the file, the line and
 * the field's path ({@code train.lora.r}), so a typo is found without guessing.
 */
final class SpecNode {
    private final Node node;
    private final String file;
    private final String path;

    SpecNode(Node node, String file, String path) {
        this.node = node;
        this.file = file;
        this.path = path;
    }

    String path() {
        return path;
    }

    /** An error about this node: {@code FILE line N: 'path' ...}. */
    InputException error(String message) {
        return new InputException(file + " line " + (node.getStartMark().getLine() + 1) + ": "
                + (path.isEmpty() ? "" : "'" + path + "' ") + message);
    }

    boolean isMapping() {
        return node instanceof MappingNode;
    }

    boolean isSequence() {
        return node instanceof SequenceNode;
    }

    /** The mapping's fields in file order, refusing any key not in {@code known}. */
    Map<String, SpecNode> fields(Set<String> known) {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a mapping (key: value lines).");
        }
        Map<String, SpecNode> fields = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw new SpecNode(t.getKeyNode(), file, path).error("has a key that is not a plain word.");
            }
            String name = key.getValue();
            SpecNode child = new SpecNode(t.getValueNode(), file, path.isEmpty() ? name : path + "." + name);
            if (known != null && !known.contains(name)) {
                throw new SpecNode(t.getKeyNode(), file, path).error("has an unknown field '" + name + "'. Known fields: "
                        + String.join(", ", new TreeSet<>(known)) + ".");
            }
            if (fields.put(name, child) != null) {
                throw child.error("appears twice.");
            }
        }
        return fields;
    }

    /** The mapping's fields, any keys allowed. */
    Map<String, SpecNode> entries() {
        return fields(null);
    }

    String text() {
        if (!(node instanceof ScalarNode s)) {
            throw error("must be a single value, not a list or mapping.");
        }
        if (s.getValue().isBlank()) {
            throw error("is empty.");
        }
        return s.getValue().strip();
    }

    int integer(int min) {
        String t = text();
        try {
            int v = Integer.parseInt(t);
            if (v < min) {
                throw error("must be at least " + min + ", got " + v + ".");
            }
            return v;
        } catch (NumberFormatException e) {
            throw error("must be a whole number, got '" + t + "'.");
        }
    }

    /** A number from {@code min} to {@code max}; NaN and infinities are out of range. */
    double number(double min, double max) {
        double v = number(min);
        if (v > max) {
            throw error("must be a number from " + min + " to " + max + ", got " + text() + ".");
        }
        return v;
    }

    double number(double min) {
        String t = text();
        try {
            double v = Double.parseDouble(t);
            if (!(v >= min) || Double.isInfinite(v)) {
                throw error("must be a number of at least " + min + ", got " + t + ".");
            }
            return v;
        } catch (NumberFormatException e) {
            throw error("must be a number, got '" + t + "'.");
        }
    }

    boolean bool() {
        String t = text().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("must be true or false, got '" + t + "'.");
        };
    }

    /** A list, or a single value read as a list of one. */
    List<SpecNode> items() {
        if (node instanceof SequenceNode seq) {
            List<SpecNode> items = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                items.add(new SpecNode(seq.getValue().get(i), file, path + "[" + i + "]"));
            }
            if (items.isEmpty()) {
                throw error("is an empty list.");
            }
            return items;
        }
        if (node instanceof ScalarNode) {
            return List.of(this);
        }
        throw error("must be a value or a list of values.");
    }
}
