package dev.emlab.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import dev.emlab.TextFile;
import dev.emlab.model.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads and writes OpenAI chat JSONL ({@code {"messages": [{"role", "content"}, ...]}} per line), validating input. */
public final class ChatJsonl {
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

    private ChatJsonl() {}

    /** The JSON line of a record, role before content (tree nodes keep insertion order; the mapper sorts maps). */
    public static String toLine(ChatRecord record) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage m : record.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a chat record", e);
        }
    }

    /** Writes one line per record (UTF-8, '\n' line ends), creating parent folders. */
    public static void write(Path file, List<ChatRecord> records) {
        TextFile.write(file, w -> {
            for (ChatRecord r : records) {
                w.write(toLine(r));
                w.write('\n');
            }
        });
    }

    /** A record and the line of the file it was read from, for tools that point back into the file. */
    public record Line(int number, ChatRecord record) {}

    /** Reads every non-blank line; a bad line is an InputException naming the file and line. */
    public static List<ChatRecord> read(Path file) {
        return readLines(file).stream().map(Line::record).toList();
    }

    /** {@link #read}, each record with its line number (from 1). */
    public static List<Line> readLines(Path file) {
        if (Files.notExists(file)) {
            throw new InputException(file + " does not exist. Give the path of a chat JSONL file.");
        }
        // a BOM is dropped, and bytes that are not UTF-8 are named with their line
        List<String> lines = TextFile.read(file, "chat JSONL file", Long.MAX_VALUE).lines().toList();
        List<Line> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                records.add(new Line(i + 1, parse(lines.get(i), file + " line " + (i + 1))));
            }
        }
        return records;
    }

    /** Parses and validates one line; {@code where} prefixes every error message. */
    private static ChatRecord parse(String line, String where) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InputException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InputException(where + ": expected a JSON object with a \"messages\" array.");
        }
        JsonNode messages = node.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InputException(where + ": \"messages\" must be a non-empty array.");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int j = 0; j < messages.size(); j++) {
            out.add(message(messages.get(j), where + ", message " + (j + 1)));
        }
        if (out.stream().noneMatch(m -> m.role().equals("assistant"))) {
            throw new InputException(where + ": the record has no assistant message.");
        }
        return new ChatRecord(out);
    }

    private static ChatMessage message(JsonNode m, String where) {
        String role = m.path("role").isTextual() ? m.get("role").asText() : null;
        if (role == null || !ROLES.contains(role)) {
            throw new InputException(where + ": role must be system, user or assistant, got " + m.get("role") + ".");
        }
        JsonNode content = m.get("content");
        if (content == null || !content.isTextual() || content.asText().isBlank()) {
            throw new InputException(where + ": content must be a non-empty string.");
        }
        int lone = dev.emlab.TextFile.loneSurrogate(content.asText());
        if (lone >= 0) {
            // valid JSON, but not text: UTF-8 cannot write it, and no tokenizer reads it
            throw new InputException(where + ": content " + dev.emlab.TextFile.loneSurrogateProblem(content.asText(), lone));
        }
        return new ChatMessage(role, content.asText());
    }
}
