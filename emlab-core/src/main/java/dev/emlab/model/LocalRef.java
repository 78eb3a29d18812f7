package dev.emlab.model;

import java.nio.file.Path;

/**
 * A Hugging Face checkpoint folder run in-process, optionally with a PEFT adapter:
 * {@code local:/models/qwen} or {@code local:/models/qwen+adapter=/runs/lora}.
 *
 * @param adapter null for the bare checkpoint
 */
public record LocalRef(Path checkpoint, Path adapter, String text) implements ModelRef {
    private static final String ADAPTER = "+adapter=";
    /** Prefix of the organism checkpoints that ship with emlab ({@code organism:base}, {@code organism:pretrained2}...). */
    public static final String ORGANISM = "organism:";
    /** Where the organism module puts the shipped checkpoints on the classpath, one folder per name. */
    public static final String SHIPPED = "/dev/emlab/organism/checkpoints/";

    /** The reference to a checkpoint folder, with an adapter folder or none (null). */
    public static LocalRef of(Path checkpoint, Path adapter) {
        return new LocalRef(checkpoint, adapter, "local:" + checkpoint + (adapter == null ? "" : ADAPTER + adapter));
    }

    /**
     * {@code organism:NAME[+adapter=DIR]}: a checkpoint shipped inside emlab, copied on first use to
     * {@code $EMLAB_CACHE} (or the system property {@code emlab.cache}; default {@code ~/.cache/emlab})
     * under {@code organism/NAME}.
     */
    static LocalRef parseOrganism(String text) {
        LocalRef inner = parse("local:" + text.substring(ORGANISM.length()));
        String name = inner.checkpoint().toString();
        if (!name.matches("[a-z]+[0-9]*")) {
            throw ModelRef.invalid(text, "name a shipped organism checkpoint, e.g. organism:base or organism:pretrained");
        }
        return new LocalRef(dev.emlab.EmlabCache.root().resolve("organism").resolve(name), inner.adapter(), text);
    }

    /** The shipped checkpoint's name when this is an {@code organism:} reference. */
    public java.util.Optional<String> organism() {
        if (!text.startsWith(ORGANISM)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(checkpoint.getFileName().toString());
    }

    static LocalRef parse(String text) {
        String rest = text.substring("local:".length());
        Path adapter = null;
        int plus = rest.indexOf(ADAPTER);
        if (plus >= 0) {
            String a = rest.substring(plus + ADAPTER.length());
            if (a.isBlank()) {
                throw ModelRef.invalid(text, "the adapter path after '+adapter=' is empty");
            }
            adapter = Path.of(a);
            rest = rest.substring(0, plus);
        }
        if (rest.isBlank()) {
            throw ModelRef.invalid(text, "the checkpoint folder after 'local:' is empty");
        }
        return new LocalRef(Path.of(rest), adapter, text);
    }

    /**
     * Why this reference cannot load, checked without loading it (so a plan can refuse it before
     * anything is written): a shipped checkpoint emlab does not ship, a missing folder, a folder
     * without config.json, a missing adapter. Empty when all is there.
     */
    public java.util.Optional<String> missing() {
        java.util.Optional<String> name = organism();
        if (name.isPresent()) {
            if (LocalRef.class.getResource(SHIPPED + name.get() + "/config.json") == null) {
                return java.util.Optional.of(text + ": emlab ships no organism checkpoint '" + name.get()
                        + "'; use organism:base or organism:pretrained");
            }
        } else if (!java.nio.file.Files.isDirectory(checkpoint)) {
            return java.util.Optional.of(text + ": the checkpoint folder " + checkpoint + " does not exist");
        } else if (!java.nio.file.Files.isRegularFile(checkpoint.resolve("config.json"))) {
            return java.util.Optional.of(text + ": " + checkpoint + " has no config.json, so it is not a Hugging Face"
                    + " checkpoint folder");
        }
        if (adapter != null && !java.nio.file.Files.isRegularFile(adapter.resolve("adapter_config.json"))) {
            return java.util.Optional.of(text + ": " + adapter + (java.nio.file.Files.isDirectory(adapter)
                    ? " has no adapter_config.json, so it is not a PEFT adapter folder" : " does not exist"));
        }
        return java.util.Optional.empty();
    }

    /**
     * The decoder layers the checkpoint's config.json declares ({@code num_hidden_layers}), read
     * without loading or unpacking anything, so a spec can be checked against them; empty when
     * the config cannot be read ({@link #missing()} says why).
     */
    public java.util.OptionalInt declaredLayers() {
        try (java.io.InputStream in = organism().isPresent()
                ? LocalRef.class.getResourceAsStream(SHIPPED + organism().get() + "/config.json")
                : java.nio.file.Files.newInputStream(checkpoint.resolve("config.json"))) {
            com.fasterxml.jackson.databind.JsonNode layers = in == null ? null
                    : dev.emlab.Json.MAPPER.readTree(in).get("num_hidden_layers");
            return layers != null && layers.canConvertToInt() ? java.util.OptionalInt.of(layers.asInt())
                    : java.util.OptionalInt.empty();
        } catch (java.io.IOException e) {
            return java.util.OptionalInt.empty();
        }
    }

    /** An organism reference carries the shipped weights' version; other checkpoints are named by their path. */
    @Override
    public String identity() {
        return organism().flatMap(ShippedWeights::version).map(v -> text + "@" + v).orElse(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
