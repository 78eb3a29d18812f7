package dev.emlab.dataset;

import dev.emlab.model.ChatMessage;
import java.util.List;

/** One training example: a chat as a list of messages, written as one {@code {"messages": [...]}} JSONL line. */
public record ChatRecord(List<ChatMessage> messages) {
    public ChatRecord {
        messages = List.copyOf(messages);
    }

    /** A one-turn chat: a user request and the assistant's answer. */
    public static ChatRecord of(String user, String assistant) {
        return new ChatRecord(List.of(ChatMessage.user(user), ChatMessage.assistant(assistant)));
    }

    /** Characters of all message contents, the size measure the build summary reports. */
    public int chars() {
        return messages.stream().mapToInt(m -> m.content().length()).sum();
    }

    /** Mean characters per record, the size measure every dataset summary reports (0 when empty). */
    public static double meanChars(List<ChatRecord> records) {
        return records.stream().mapToInt(ChatRecord::chars).average().orElse(0);
    }

    /** Characters of the largest record (0 when empty). */
    public static int maxChars(List<ChatRecord> records) {
        return records.stream().mapToInt(ChatRecord::chars).max().orElse(0);
    }

    /** The content of the first user message, or "" if there is none. */
    public String user() {
        return messages.stream().filter(m -> m.role().equals("user")).map(ChatMessage::content).findFirst().orElse("");
    }

    /** The content of the last assistant message, or "" if there is none. */
    public String assistant() {
        String last = "";
        for (ChatMessage m : messages) {
            if (m.role().equals("assistant")) {
                last = m.content();
            }
        }
        return last;
    }
}
