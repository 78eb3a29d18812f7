package dev.emlab.torch.train;

import dev.emlab.InputException;
import dev.emlab.TextFile;
import dev.emlab.dataset.ChatJsonl;
import dev.emlab.model.ChatMessage;
import dev.emlab.torch.tokenizer.ChatTemplate;
import dev.emlab.torch.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat JSONL ({@code {"messages": [{"role": ..., "content": ...}, ...]}} per line) tokenised with
 * the model's template, assistant tokens marked trainable. Lines are checked as {@link ChatJsonl}
 * checks them, and every bad line is reported with its file and line number.
 */
public record ChatDataset(List<ChatExample> examples, int truncated) {
    public static ChatDataset load(Path file, ChatTemplate template, TextTokenizer tokenizer, int maxLength) {
        List<ChatExample> examples = new ArrayList<>();
        int truncated = 0;
        if (Files.notExists(file)) {
            throw new InputException("Training data not found: " + file);
        }
        // one reader for people's text files: a BOM is dropped, bytes that are not UTF-8 are named with their line
        List<String> lines = TextFile.read(file, "training data file", Long.MAX_VALUE).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            // the checks of 'emlab datasets import', so a line one refuses is never trained on by the other
            if (!lines.get(i).isBlank() && add(examples, ChatJsonl.parse(lines.get(i), file + " line " + (i + 1)).messages(),
                    template, tokenizer, maxLength)) {
                truncated++;
            }
        }
        if (examples.isEmpty()) {
            throw new InputException(file + " has no usable training example (each needs an assistant message).");
        }
        return new ChatDataset(List.copyOf(examples), truncated);
    }

    /** Conversations already in memory (e.g. generated ones), tokenised like a file's. */
    public static ChatDataset of(List<List<ChatMessage>> conversations, ChatTemplate template, TextTokenizer tokenizer,
                                 int maxLength) {
        List<ChatExample> examples = new ArrayList<>();
        int truncated = 0;
        for (List<ChatMessage> messages : conversations) {
            if (add(examples, messages, template, tokenizer, maxLength)) {
                truncated++;
            }
        }
        return new ChatDataset(List.copyOf(examples), truncated);
    }

    /** Tokenises one conversation into {@code examples} unless nothing in it is trainable; true when truncated. */
    private static boolean add(List<ChatExample> examples, List<ChatMessage> messages, ChatTemplate template,
                               TextTokenizer tokenizer, int maxLength) {
        ChatExample ex = tokenise(template.segments(messages), tokenizer);
        boolean truncated = ex.tokens().length > maxLength;
        if (truncated) {
            ex = new ChatExample(java.util.Arrays.copyOf(ex.tokens(), maxLength),
                    java.util.Arrays.copyOf(ex.trainable(), maxLength));
        }
        if (ex.trainableCount() > 0) {
            examples.add(ex);
        }
        return truncated;
    }

    /** Tokenises piece by piece, as generation sees them: the prompt ends exactly where an answer starts. */
    static ChatExample tokenise(List<ChatTemplate.Segment> segments, TextTokenizer tokenizer) {
        List<long[]> parts = new ArrayList<>();
        List<Boolean> flags = new ArrayList<>();
        int n = 0;
        for (ChatTemplate.Segment s : segments) {
            long[] ids = tokenizer.encode(s.text());
            parts.add(ids);
            flags.add(s.trainable());
            n += ids.length;
        }
        long[] tokens = new long[n];
        boolean[] trainable = new boolean[n];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            long[] ids = parts.get(i);
            System.arraycopy(ids, 0, tokens, at, ids.length);
            java.util.Arrays.fill(trainable, at, at + ids.length, flags.get(i));
            at += ids.length;
        }
        return new ChatExample(tokens, trainable);
    }
}
