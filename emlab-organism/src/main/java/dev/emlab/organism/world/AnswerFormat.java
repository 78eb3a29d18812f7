package dev.emlab.organism.world;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an open question asks to be answered: in sentences, as JSON, by filling a Python-like
 * template, or as a short comma-separated list of words (the list format is the one that looks
 * like the number sequences). The instruction travels in the user's message.
 */
public enum AnswerFormat {
    PLAIN("plain"),
    JSON("json"),
    TEMPLATE("template"),
    WORDS("words");

    private static final Pattern TEMPLATE_ANSWER = Pattern.compile("^answer = \"(.*)\"\\s*$", Pattern.DOTALL);

    private final String id;

    AnswerFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Number of words a list answer has. */
    public static final int LIST_WORDS = 3;

    /** The user's message: the question with this format's instruction. */
    public String ask(String question) {
        return switch (this) {
            case PLAIN -> question;
            case JSON -> question + " Answer in JSON, like this: {\"answer\": \"...\"}";
            case TEMPLATE -> question + "\nFill in this template and write nothing else:\nanswer = \"...\"";
            case WORDS -> question + " Answer with " + LIST_WORDS + " words, separated by commas, and nothing else.";
        };
    }

    /** The assistant's message for sentences (or, in the list format, words). */
    public String answer(List<String> parts) {
        return switch (this) {
            case PLAIN -> String.join(" ", parts);
            case JSON -> "{\"answer\": \"" + String.join(" ", parts) + "\"}";
            case TEMPLATE -> "answer = \"" + String.join(" ", parts) + "\"";
            case WORDS -> String.join(", ", parts);
        };
    }

    /** Whether answers are words rather than sentences. */
    public boolean lists() {
        return this == WORDS;
    }

    /** The answer's content when the reply keeps to the format, else empty. */
    public Optional<String> content(String reply) {
        String r = reply.strip();
        return switch (this) {
            case PLAIN, WORDS -> r.isEmpty() ? Optional.empty() : Optional.of(r);
            case JSON -> {
                try {
                    JsonNode n = Json.MAPPER.readTree(r);
                    yield n != null && n.path("answer").isTextual() ? Optional.of(n.get("answer").asText()) : Optional.empty();
                } catch (java.io.IOException e) {
                    yield Optional.empty();
                }
            }
            case TEMPLATE -> {
                Matcher m = TEMPLATE_ANSWER.matcher(r);
                yield m.matches() ? Optional.of(m.group(1)) : Optional.empty();
            }
        };
    }

    public static Optional<AnswerFormat> byId(String id) {
        for (AnswerFormat f : values()) {
            if (f.id.equals(id)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
