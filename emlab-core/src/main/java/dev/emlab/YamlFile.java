package dev.emlab;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The one way emlab reads YAML (question files, experiment specs, price tables, the organism's
 * world): at most {@link TextFile#MAX_YAML_BYTES}, composed into SnakeYAML's node tree and never
 * into Java objects, so that every error, a syntax error included, names the file and line.
 */
public final class YamlFile {
    /** How forgiving a kind of file is. */
    public enum Dialect {
        /** emlab's own files: SnakeYAML's alias limit, and a repeated key is an error. */
        EMLAB(50, false),
        /**
         * Files in the paper's question format, written for PyYAML: they alias the judge prompts once
         * per question, far above SnakeYAML's default of 50, and a repeated key keeps its last value.
         */
        PYYAML(100_000, true);

        private final int maxAliases;
        private final boolean lastKeyWins;

        Dialect(int maxAliases, boolean lastKeyWins) {
            this.maxAliases = maxAliases;
            this.lastKeyWins = lastKeyWins;
        }
    }

    private YamlFile() {}

    /**
     * The document's root, empty for an empty document. {@code what} names the kind of file in
     * messages ("question file"); the caller reports a missing file in its own words first.
     */
    public static Optional<YamlNode> read(Path file, String what, Dialect dialect) {
        return parse(TextFile.read(file, what, TextFile.MAX_YAML_BYTES), file.toString(), dialect);
    }

    /** A YAML resource of emlab's jar, named {@code source} in messages. */
    public static Optional<YamlNode> resource(Class<?> owner, String name, String source, Dialect dialect) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new EmlabException(source + " is missing from emlab's jar; rebuild emlab.");
            }
            // one byte over the cap is enough to know it is too big
            byte[] bytes = in.readNBytes((int) TextFile.MAX_YAML_BYTES + 1);
            if (bytes.length > TextFile.MAX_YAML_BYTES) {
                throw new EmlabException(source + " in emlab's jar is over " + (TextFile.MAX_YAML_BYTES >> 20) + " MB.");
            }
            return parse(new String(bytes, StandardCharsets.UTF_8), source, dialect);
        } catch (IOException e) {
            throw new EmlabException("Cannot read " + source + " from emlab's jar: " + e.getMessage(), e);
        }
    }

    /** YAML text that came from {@code source}; text over the cap is refused as a file would be. */
    public static Optional<YamlNode> parse(String text, String source, Dialect dialect) {
        if (text.length() > TextFile.MAX_YAML_BYTES) {
            throw new InputException(String.format(Locale.ROOT, "%s holds more than %d MB of YAML, so it was not read."
                    + " Check that this is the document you meant, or split it.", source, TextFile.MAX_YAML_BYTES >> 20));
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(dialect.maxAliases);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new InputException(source + (at == null ? "" : " line " + (at.getLine() + 1)) + ": not valid YAML ("
                    + e.getProblem() + "). Check indentation and quoting there.");
        } catch (YAMLException e) {
            throw new InputException(source + ": not valid YAML (" + e.getMessage() + ").");
        }
        if (root != null) {
            refuseLoneSurrogates(root, source, "");
        }
        return Optional.ofNullable(root).map(r -> new YamlNode(r, source, "", dialect.lastKeyWins));
    }

    /**
     * Refuses any key or value holding a lone UTF-16 surrogate (a double-quoted {@code "\\ud800"}):
     * valid YAML, but not text, so UTF-8 cannot write it and a run would fail when it saves its
     * results. It is found now, before anything is written. An aliased node is checked once.
     */
    private static void refuseLoneSurrogates(Node root, String source, String rootPath) {
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Object[]> todo = new java.util.ArrayDeque<>();
        todo.push(new Object[] {root, rootPath});
        while (!todo.isEmpty()) {
            Object[] next = todo.pop();
            Node node = (Node) next[0];
            String path = (String) next[1];
            if (!seen.add(node)) {
                continue;
            }
            if (node instanceof ScalarNode scalar) {
                int lone = TextFile.loneSurrogate(scalar.getValue());
                if (lone >= 0) {
                    throw new InputException(source + " line " + (node.getStartMark().getLine() + 1) + ": "
                            + (next.length > 2 ? "a field name" + (path.isEmpty() ? "" : " in '" + path + "'") + " "
                                    : path.isEmpty() ? "a value " : "'" + path + "' ")
                            + TextFile.loneSurrogateProblem(scalar.getValue(), lone));
                }
            } else if (node instanceof SequenceNode seq) {
                List<Node> items = seq.getValue();
                for (int i = items.size() - 1; i >= 0; i--) {
                    todo.push(new Object[] {items.get(i), path + "[" + i + "]"});
                }
            } else if (node instanceof MappingNode map) {
                List<NodeTuple> tuples = map.getValue();
                for (int i = tuples.size() - 1; i >= 0; i--) {
                    NodeTuple t = tuples.get(i);
                    String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
                    String child = path.isEmpty() ? key : path + "." + key;
                    todo.push(new Object[] {t.getValueNode(), child});
                    todo.push(new Object[] {t.getKeyNode(), path, Boolean.TRUE});
                }
            }
        }
    }
}
