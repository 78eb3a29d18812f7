package dev.emlab.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.EmlabException;
import dev.emlab.Json;
import dev.emlab.model.ModelRef;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Finished and running fine-tunes, one folder each under a root shared by every experiment
 * ({@code $EMLAB_CACHE/finetunes}), named by a hash of what determines the result: backend,
 * base model, training data, hyperparameters and seed. A later experiment asking for the same
 * fine-tune reuses it; a killed one finds the remote job it started.
 */
public final class FineTuneCache {
    private static final String RESULT = "result.json";
    private static final String STATE = "state.json";

    private final Path root;

    public FineTuneCache(Path root) {
        this.root = root;
    }

    /** The content hash naming a fine-tune (API keys are never part of it). */
    public static String key(ModelRef base, String dataSha256, TrainSettings settings, long seed, int checkpointEvery) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("base", base.identity());
        node.put("data_sha256", dataSha256);
        ObjectNode s = Json.MAPPER.valueToTree(settings);
        // which variable holds the key, and whether it may cross the network in clear, do not change the model
        s.remove("apiKeyEnv");
        s.remove("plainHttp");
        node.set("settings", s);
        node.put("seed", seed);
        node.put("checkpoint_every", checkpointEvery);
        return sha256(node.toString()).substring(0, 20);
    }

    /** SHA-256 of a file's bytes, hex. */
    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new EmlabException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a text's UTF-8 bytes, hex: a file's {@link #sha256(Path)} once the text is written to it. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fine-tune's own folder (created on demand). */
    public Path dir(String key) {
        return root.resolve(key);
    }

    /** The result of a finished fine-tune with this key. */
    public Optional<FineTuneResult> finished(String key) {
        Path file = dir(key).resolve(RESULT);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), FineTuneResult.class));
        } catch (IOException e) {
            throw new EmlabException("The cached fine-tune " + file + " is damaged (" + e.getMessage()
                    + "); delete its folder to train it again.", e);
        }
    }

    /** Records a finished fine-tune; written atomically, so a kill never leaves half a result. */
    public void finish(String key, FineTuneResult result) {
        try {
            write(dir(key).resolve(RESULT), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Holds the fine-tune's lock while it runs, so two emlab processes never train (or pay for)
     * the same fine-tune at once; empty when another process holds it.
     */
    public Optional<AutoCloseable> lock(String key) {
        try {
            Files.createDirectories(dir(key));
            FileChannel channel = FileChannel.open(dir(key).resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            FileLock held = lock;
            return Optional.of(() -> {
                held.release();
                channel.close();
            });
        } catch (IOException e) {
            throw new EmlabException("Cannot lock the fine-tune folder " + dir(key) + ": " + e.getMessage(), e);
        }
    }

    /** What earlier attempts of this fine-tune remembered, as a mutable JSON object. */
    ObjectNode state(String key) {
        Path file = dir(key).resolve(STATE);
        try {
            return Files.exists(file) ? (ObjectNode) Json.MAPPER.readTree(file.toFile()) : Json.MAPPER.createObjectNode();
        } catch (IOException | ClassCastException e) {
            throw new EmlabException("The fine-tune state " + file + " is damaged; delete it to start the fine-tune over.");
        }
    }

    /** A session whose remembered values live in the fine-tune's folder. */
    public FineTuneSession session(String key, FineTuneSession.Listener listener) {
        ObjectNode state = state(key);
        Path file = dir(key).resolve(STATE);
        return new FineTuneSession() {
            @Override
            public synchronized Optional<String> recall(String name) {
                String v = state.path(name).asText("");
                return v.isEmpty() ? Optional.empty() : Optional.of(v);
            }

            @Override
            public synchronized void remember(String name, String value) {
                state.put(name, value);
                write(file, state.toPrettyString());
            }

            @Override
            public void event(String message) {
                listener.event(message);
            }

            @Override
            public void progress(String status, double fraction) {
                listener.progress(status, fraction);
            }

            @Override
            public boolean stopRequested() {
                return listener.stopRequested();
            }
        };
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EmlabException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
