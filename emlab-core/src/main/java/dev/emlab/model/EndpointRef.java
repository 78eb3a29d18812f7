package dev.emlab.model;

/** A model served by an OpenAI-compatible HTTP endpoint. */
public record EndpointRef(String baseUrl, String model, String text) implements ModelRef {
    @Override
    public String toString() {
        return text;
    }
}
