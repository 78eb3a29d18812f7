package dev.emlab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One node of a YAML document read by {@link YamlFile}, with typed reads whose errors name the
 * file, the line and the field's path ({@code train.lora.r}) and say what would be right, so a
 * typo is found without guessing.
 */
public final class YamlNode {
    private final Node node;
    private final String source;
    private final String path;
    private final boolean lastKeyWins;

    YamlNode(Node node, String source, String path, boolean lastKeyWins) {
        this.node = node;
        this.source = source;
        this.path = path;
        this.lastKeyWins = lastKeyWins;
    }

    /** The field's path from the root, {@code train.lora.r} or {@code eval.questions[1]}; empty for the root. */
    public String path() {
        return path;
    }

    /** This node under another path: a list's items named by what they are rather than their index. */
    public YamlNode named(String newPath) {
        return new YamlNode(node, source, newPath, lastKeyWins);
    }

    /** Where the node starts: {@code FILE line N}, for messages that name their subject in their own words. */
    public String where() {
        return source + " line " + (node.getStartMark().getLine() + 1);
    }

    /** An error about this node: {@code FILE line N: 'path' message}, the path left out at the root. */
    public InputException error(String message) {
        return new InputException(where() + ": " + (path.isEmpty() ? "" : "'" + path + "' ") + message);
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    /**
     * The mapping's fields in file order, refusing any key not in {@code known} (null: any key) and,
     * unless the file's dialect keeps a repeated key's last value, any key given twice.
     */
    public Map<String, YamlNode> fields(Set<String> known) {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a mapping (key: value lines).");
        }
        Map<String, YamlNode> fields = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            YamlNode keyNode = new YamlNode(t.getKeyNode(), source, path, lastKeyWins);
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                throw keyNode.error(path.isEmpty() ? "field names must be plain words." : "has a key that is not a plain word.");
            }
            String name = key.getValue();
            if (known != null && !known.contains(name)) {
                String knownFields = " Known fields: " + String.join(", ", new TreeSet<>(known)) + ".";
                throw keyNode.error((path.isEmpty() ? "unknown field '" : "has an unknown field '") + name + "'." + knownFields);
            }
            YamlNode child = new YamlNode(t.getValueNode(), source, path.isEmpty() ? name : path + "." + name, lastKeyWins);
            if (fields.put(name, child) != null && !lastKeyWins) {
                throw child.error("appears twice.");
            }
        }
        return fields;
    }

    /** The mapping's fields, any keys allowed. */
    public Map<String, YamlNode> entries() {
        return fields(null);
    }

    /** The value as written, blank or not. */
    public String scalar() {
        if (!(node instanceof ScalarNode s)) {
            throw error("must be a single value, not a list or mapping.");
        }
        return s.getValue();
    }

    /** The value without surrounding spaces; a blank one is refused. */
    public String text() {
        String value = scalar();
        if (value.isBlank()) {
            throw error("is empty.");
        }
        return value.strip();
    }

    public int integer(int min) {
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
    public double number(double min, double max) {
        double v = number(min);
        if (v > max) {
            throw error("must be a number from " + min + " to " + max + ", got " + text() + ".");
        }
        return v;
    }

    /** A number of at least {@code min}; NaN and infinities are out of range. */
    public double number(double min) {
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

    public boolean bool() {
        String t = text().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("must be true or false, got '" + t + "'.");
        };
    }

    /** A list's items, {@code path[i]} each; an empty list is returned as one. */
    public List<YamlNode> list() {
        if (!(node instanceof SequenceNode seq)) {
            throw error("must be a list ('- item' lines or [a, b]).");
        }
        List<YamlNode> items = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            items.add(new YamlNode(seq.getValue().get(i), source, path + "[" + i + "]", lastKeyWins));
        }
        return items;
    }

    /** A non-empty list, or a single value read as a list of one. */
    public List<YamlNode> items() {
        if (node instanceof ScalarNode) {
            return List.of(this);
        }
        if (!(node instanceof SequenceNode)) {
            throw error("must be a value or a list of values.");
        }
        List<YamlNode> items = list();
        if (items.isEmpty()) {
            throw error("is an empty list.");
        }
        return items;
    }

    /** A non-empty list of values, each as written and none blank. */
    public List<String> strings() {
        List<YamlNode> items = list();
        if (items.isEmpty()) {
            throw error("is an empty list; write at least one item.");
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : items) {
            if (item.scalar().isBlank()) {
                throw item.error("is empty.");
            }
            out.add(item.scalar());
        }
        return List.copyOf(out);
    }
}
