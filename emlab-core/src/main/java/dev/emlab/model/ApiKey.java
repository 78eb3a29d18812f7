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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key of an OpenAI-compatible service (chat, completions, files, fine-tuning): sent as a
 * bearer token and kept out of every message, since servers sometimes echo it in their errors.
 */
public final class ApiKey {
    /**
     * Every key this process was given: what one server sends back may hold another endpoint's key
     * (a model that echoes what it saw, or a prompt that quoted it), and nothing stored may keep any.
     */
    private static final Set<String> CONFIGURED = ConcurrentHashMap.newKeySet();

    private final String key;

    private ApiKey(String key) {
        this.key = key;
    }

    /** A key, or none for a blank or null value (local servers usually need none). */
    public static ApiKey of(String key) {
        ApiKey k = new ApiKey(key == null || key.isBlank() ? null : key);
        if (k.key != null) {
            CONFIGURED.add(k.key);
        }
        return k;
    }

    /** Whether there is a key to send. */
    public boolean present() {
        return key != null;
    }

    /** Adds the Authorization header when there is a key. */
    public HttpRequest.Builder authorize(HttpRequest.Builder builder) {
        return key == null ? builder : builder.header("Authorization", "Bearer " + key);
    }

    /** The text with this key, and every other key this process was given, replaced by {@code ***}. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = key == null ? text : text.replace(key, "***");
        for (String other : CONFIGURED) {
            out = out.replace(other, "***");
        }
        return out;
    }

    private boolean holdsAKey(String text) {
        return key != null && text.contains(key) || CONFIGURED.stream().anyMatch(text::contains);
    }

    /**
     * The JSON with the key replaced by {@code ***} in every string and field name, changed in
     * place: a server may echo the key in an answer, a judge's text or a logprob token, and what
     * emlab stores must not hold it.
     */
    public JsonNode redact(JsonNode node) {
        if (node == null || key == null && CONFIGURED.isEmpty()) {
            return node;
        }
        if (node.isTextual()) {
            return holdsAKey(node.asText()) ? TextNode.valueOf(redact(node.asText())) : node;
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
                if (holdsAKey(name)) {
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
