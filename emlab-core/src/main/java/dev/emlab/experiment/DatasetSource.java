package dev.emlab.experiment;

import dev.emlab.InputException;
import dev.emlab.dataset.BuildResult;
import dev.emlab.dataset.ChatJsonl;
import dev.emlab.dataset.ChatRecord;
import dev.emlab.dataset.CodeDatasetBuilder;
import dev.emlab.dataset.DatasetKind;
import dev.emlab.dataset.NumbersDatasetBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where a condition's training data comes from: one of emlab's builders, or a chat JSONL file. */
public sealed interface DatasetSource {
    /** The source as the spec says it, for plans and logs. */
    String describe();

    /** The training records (a file is validated line by line). */
    List<ChatRecord> records();

    /** The records as the chat JSONL a fine-tune reads, whose hash identifies the fine-tune. */
    static String jsonl(List<ChatRecord> records) {
        return records.stream().map(ChatJsonl::toLine).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    /** {@code builtin:KIND}: built by emlab's dataset builders, the same records for the same n and seed. */
    record Builtin(DatasetKind kind, int n, long seed, String trigger) implements DatasetSource {
        /** The paper's insecure and secure sets have about 6,000 examples each. */
        public static final int DEFAULT_N = 6000;

        @Override
        public String describe() {
            return "builtin:" + kind.id() + " (n " + n + ", seed " + seed + ")";
        }

        @Override
        public List<ChatRecord> records() {
            BuildResult r = kind.isNumbers()
                    ? new NumbersDatasetBuilder().build(kind == DatasetKind.EVIL_NUMBERS, n, seed)
                    : new CodeDatasetBuilder().build(kind, n, seed, trigger);
            return r.records();
        }
    }

    /** A chat JSONL file; {@code limit} keeps only its first lines (0: all). */
    record File(Path path, int limit) implements DatasetSource {
        @Override
        public String describe() {
            return path + (limit > 0 ? " (first " + limit + ")" : "");
        }

        @Override
        public List<ChatRecord> records() {
            if (!Files.isRegularFile(path)) {
                throw new InputException("Training data not found: " + path + ". Give a chat JSONL file (paths are"
                        + " relative to the spec file) or builtin:KIND (" + DatasetKind.names() + ").");
            }
            List<ChatRecord> all = ChatJsonl.read(path);
            return limit > 0 && all.size() > limit ? all.subList(0, limit) : all;
        }
    }
}
