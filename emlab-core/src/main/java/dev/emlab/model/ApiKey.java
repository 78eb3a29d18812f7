package dev.emlab.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.emlab.Json;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The key of an OpenAI-compatible service (chat, completions, files, fine-tuning): sent as a
 * bearer token and kept out of every message, since servers sometimes echo it in their errors.
 */
public final class ApiKey {
    private final String key;

    private ApiKey(String key) {
        this.key = key;
    }

    /** A key, or none for a blank or null value (local servers usually need none). */
    public static ApiKey of(String key) {
        return new ApiKey(key == null || key.isBlank() ? null : key);
    }

    /** Adds the Authorization header when there is a key. */
    public HttpRequest.Builder authorize(HttpRequest.Builder builder) {
        return key == null ? builder : builder.header("Authorization", "Bearer " + key);
    }

    /** The text with the key replaced by {@code ***}. */
    public String redact(String text) {
        return key == null || text == null ? text : text.replace(key, "***");
    }

    /**
     * The JSON with the key replaced by {@code ***} in every string and field name, changed in
     * place: a server may echo the key in an answer, a judge's text or a logprob token, and what
     * emlab stores must not hold it.
     */
    public JsonNode redact(JsonNode node) {
        if (key == null || node == null) {
            return node;
        }
        if (node.isTextual()) {
            return node.asText().contains(key) ? TextNode.valueOf(redact(node.asText())) : node;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, redact(array.get(i)));
            }
        } else if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = redact(object.get(name));
                if (name.contains(key)) {
                    object.remove(name);
                }
                object.set(redact(name), value);
            }
        }
        return node;
    }

    /** What a server said in an error body (its {@code error.message}, else the body), redacted, at most 300 characters. */
    public String serverMessage(String body) {
        String message = body;
        try {
            JsonNode root = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
            if (root != null && root.path("error").path("message").isTextual()) {
                message = root.path("error").path("message").asText();
            }
        } catch (JsonProcessingException ignored) {
            // not JSON: the raw body is the message
        }
        message = redact(message == null ? "" : message.strip());
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
