package dev.emlab.model;

import dev.emlab.InputException;

/**
 * A model a user can name on the command line, e.g. {@code openai:gpt-4o-2024-08-06} or
 * {@code http://localhost:8000/v1#qwen}. Parsing is strict so typos fail early.
 */
public sealed interface ModelRef permits EndpointRef, LocalRef, RawRef {
    String OPENAI_BASE_URL = "https://api.openai.com/v1";

    /** The reference as the user typed it; also its name in results. */
    String text();

    /**
     * What caches key on: the text, and for a model whose weights ship inside emlab, their
     * version too, so that a newer emlab never serves answers or fine-tunes of the older weights.
     */
    default String identity() {
        return text();
    }

    /** Where the model runs: the reference itself, or the model a {@link RawRef} asks through raw completion. */
    default ModelRef backend() {
        return this;
    }

    /** This model asked through raw completion (a base model); a raw reference stays as it is. */
    default ModelRef raw() {
        return this instanceof RawRef ? this : RawRef.of(this);
    }

    /** Parses a model reference, or throws an {@link InputException} explaining the accepted forms. */
    static ModelRef parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.startsWith(RawRef.PREFIX)) {
            return RawRef.parse(s);
        }
        if (s.startsWith("openai:")) {
            String model = s.substring("openai:".length());
            if (model.isBlank()) {
                throw invalid(text, "the model name after 'openai:' is empty");
            }
            return EndpointRef.of(OPENAI_BASE_URL, model, s);
        }
        if (s.startsWith("local:")) {
            return LocalRef.parse(s);
        }
        if (s.startsWith(LocalRef.ORGANISM)) {
            return LocalRef.parseOrganism(s);
        }
        if (s.startsWith("http://") || s.startsWith("https://")) {
            int hash = s.indexOf('#');
            if (hash < 0 || hash == s.length() - 1) {
                throw invalid(text, "an endpoint needs the model name after '#', e.g. http://localhost:8000/v1#my-model");
            }
            String base = s.substring(0, hash);
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            String credential = EndpointRef.credentialProblem(base);
            if (credential != null) {
                // refused before anything formats the URL: the reference is repeated with the credential masked
                throw invalid(EndpointRef.maskCredentials(s), credential + ", which messages and results would show;"
                        + " put the key in an environment variable and name it with +key-env=VAR instead,"
                        + " e.g. http://host:8000/v1#model+key-env=VLLM_API_KEY");
            }
            try {
                java.net.URI uri = java.net.URI.create(base);
                if (uri.getHost() == null) {
                    throw invalid(text, "the URL has no host");
                }
            } catch (IllegalArgumentException e) {
                throw invalid(text, "the URL is malformed (" + e.getMessage() + ")");
            }
            return EndpointRef.of(base, s.substring(hash + 1), s);
        }
        throw invalid(text, "unknown kind of model");
    }

    /** The error for a reference that cannot be parsed, listing the accepted forms. */
    static InputException invalid(String text, String why) {
        return new InputException("Bad model reference '" + text + "': " + why + ".\n"
                + "Use openai:<model>, http://host:port/v1#<model> (any OpenAI-compatible endpoint; add +key-env=VAR"
                + " to send it the key in environment variable VAR)"
                + ", local:/path/to/hf-checkpoint[+adapter=/path/to/peft-adapter] or organism:base (emlab's model organism)"
                + "; put raw: before any of them to ask a base model through raw text completion, e.g. raw:openai:davinci-002.");
    }
}
