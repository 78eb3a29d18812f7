package dev.emlab;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

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
        return Optional.ofNullable(root).map(r -> new YamlNode(r, source, "", dialect.lastKeyWins));
    }
}
