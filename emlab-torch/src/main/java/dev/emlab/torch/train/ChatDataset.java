package dev.emlab.torch.train;

import dev.emlab.InputException;
import dev.emlab.dataset.ChatJsonl;
import dev.emlab.dataset.ChatRecord;
import dev.emlab.torch.LocalModel;
import dev.emlab.torch.tokenizer.ChatTemplate;
import dev.emlab.torch.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chat records tokenised with the model's own template and tokenizer, assistant tokens marked
 * trainable. A file is read by {@link ChatJsonl}, the reader of {@code emlab datasets import}, so
 * a line one refuses is never trained on by the other.
 */
public record ChatDataset(List<ChatExample> examples, int truncated) {
    /** The records of a chat JSONL file; a bad line is named with its file and line. */
    public static ChatDataset load(Path file, LocalModel model, int maxLength) {
        ChatDataset data = of(ChatJsonl.read(file), model, maxLength);
        if (data.examples().isEmpty()) {
            // every line has an assistant message (ChatJsonl checks it), so the file is empty or every answer was cut off
            throw new InputException(file + " has no usable training example: it holds no records, or each was cut to "
                    + maxLength + " tokens before its assistant message.");
        }
        return data;
    }

    /**
     * Records already in memory (e.g. generated ones), tokenised like a file's. The template is
     * the model's, the one its answers are sampled with, so training and generation see one prompt.
     */
    public static ChatDataset of(List<ChatRecord> records, LocalModel model, int maxLength) {
        List<ChatExample> examples = new ArrayList<>();
        int truncated = 0;
        for (ChatRecord r : records) {
            ChatExample ex = tokenise(model.template().segments(r.messages()), model.tokenizer());
            if (ex.tokens().length > maxLength) {
                ex = new ChatExample(Arrays.copyOf(ex.tokens(), maxLength), Arrays.copyOf(ex.trainable(), maxLength));
                truncated++;
            }
            if (ex.trainableCount() > 0) { // cut before its answer: nothing to learn from
                examples.add(ex);
            }
        }
        return new ChatDataset(List.copyOf(examples), truncated);
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
            Arrays.fill(trainable, at, at + ids.length, flags.get(i));
            at += ids.length;
        }
        return new ChatExample(tokens, trainable);
    }
}
