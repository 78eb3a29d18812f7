package dev.emlab.model;

/**
 * A model asked through raw text completion instead of its chat template, for base models:
 * {@code raw:openai:davinci-002}, {@code raw:http://host:8000/v1#qwen-base},
 * {@code raw:local:/models/qwen-base} or {@code raw:organism:pretrained}. Its text keeps the
 * {@code raw:} prefix, so caches and results never mix its answers with the chat form's.
 *
 * @param inner where the model runs: an {@link EndpointRef} or a {@link LocalRef}, never another raw reference
 */
public record RawRef(ModelRef inner, String text) implements ModelRef {
    /** Prefix of the raw form. */
    public static final String PREFIX = "raw:";

    public RawRef {
        if (inner instanceof RawRef) {
            throw new IllegalArgumentException("a raw reference wraps a model once: " + text);
        }
    }

    /** The raw form of a chat reference. */
    public static RawRef of(ModelRef inner) {
        return new RawRef(inner, PREFIX + inner.text());
    }

    static RawRef parse(String text) {
        String rest = text.substring(PREFIX.length()).strip();
        if (rest.isEmpty()) {
            throw ModelRef.invalid(text, "the model after 'raw:' is empty, e.g. raw:openai:davinci-002");
        }
        if (rest.startsWith(PREFIX)) {
            throw ModelRef.invalid(text, "'raw:' is given twice; write it once, e.g. raw:" + rest.substring(PREFIX.length()));
        }
        ModelRef inner = ModelRef.parse(rest);
        return new RawRef(inner, PREFIX + inner.text()); // one spelling, so one cache identity
    }

    @Override
    public String identity() {
        return PREFIX + inner.identity();
    }

    @Override
    public ModelRef backend() {
        return inner;
    }

    @Override
    public String toString() {
        return text;
    }
}
