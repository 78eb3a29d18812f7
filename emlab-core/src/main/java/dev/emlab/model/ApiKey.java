package dev.emlab.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import java.net.http.HttpRequest;

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
