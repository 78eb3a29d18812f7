package dev.emlab.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.EmlabException;
import dev.emlab.Json;
import dev.emlab.model.ChatRequest;
import dev.emlab.model.Completion;
import dev.emlab.model.ModelRef;
import dev.emlab.model.TokenLogprob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SQLite cache of every completion emlab received (answers and judge outputs), keyed by a
 * content hash of model, request and replicate index. Each completion is committed as soon as it
 * arrives, so a killed run loses nothing and a re-run asks for nothing twice. Thread-safe.
 */
public final class CompletionStore implements AutoCloseable {
    private static final TypeReference<List<TokenLogprob>> LOGPROBS = new TypeReference<>() {};

    private final Connection db;
    private final Path file;

    private CompletionStore(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    public static CompletionStore open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                // the wait first: a second emlab on the same folder waits for the lock instead of failing at once
                s.execute("PRAGMA busy_timeout=30000");
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS completions (
                          key TEXT PRIMARY KEY,
                          model TEXT NOT NULL,
                          replicate INTEGER NOT NULL,
                          request TEXT NOT NULL,
                          text TEXT NOT NULL,
                          finish_reason TEXT,
                          top_logprobs TEXT,
                          created_at TEXT NOT NULL)""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS runs (
                          id INTEGER PRIMARY KEY AUTOINCREMENT,
                          started_at TEXT NOT NULL,
                          emlab_version TEXT NOT NULL,
                          spec TEXT NOT NULL)""");
            }
            return new CompletionStore(db, file);
        } catch (SQLException | java.io.IOException e) {
            throw StoreFailure.of("the store", file, e, "the answers and scores it held are asked again",
                    "Cannot open the store (is its folder writable?)");
        }
    }

    /** The content hash that identifies a completion: model, full request and replicate index. */
    public static String key(ModelRef model, ChatRequest request, int replicate) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("model", model.identity());
        node.set("request", Json.MAPPER.valueToTree(request));
        node.put("replicate", replicate);
        try {
            byte[] canonical = Json.MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored completion, or the supplier's, stored before it is returned. */
    public Completion getOrCompute(ModelRef model, ChatRequest request, int replicate, Supplier<Completion> compute) {
        String key = key(model, request, replicate);
        Optional<Completion> cached = find(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        Completion fresh = compute.get();
        put(key, model, request, replicate, fresh);
        return fresh;
    }

    public synchronized Optional<Completion> find(String key) {
        try (PreparedStatement q = db.prepareStatement(
                "SELECT text, finish_reason, top_logprobs FROM completions WHERE key = ?")) {
            q.setString(1, key);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String logprobs = rs.getString(3);
                List<TokenLogprob> top = logprobs == null ? null : Json.MAPPER.readValue(logprobs, LOGPROBS);
                return Optional.of(new Completion(rs.getString(1), rs.getString(2), top));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw StoreFailure.of("the store", file, e, "the answers and scores it held are asked again", "Cannot read the store");
        }
    }

    private synchronized void put(String key, ModelRef model, ChatRequest request, int replicate, Completion c) {
        try (PreparedStatement q = db.prepareStatement(
                "INSERT OR IGNORE INTO completions VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            q.setString(1, key);
            q.setString(2, model.text());
            q.setInt(3, replicate);
            q.setString(4, Json.MAPPER.writeValueAsString(request));
            q.setString(5, c.text());
            q.setString(6, c.finishReason());
            q.setString(7, c.firstTokenTopLogprobs() == null ? null
                    : Json.MAPPER.writeValueAsString(c.firstTokenTopLogprobs()));
            q.setString(8, Instant.now().toString());
            q.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw StoreFailure.of("the store", file, e, "the answers and scores it held are asked again", "Cannot write to the store");
        }
    }

    /** Records that a run started, with its spec (never containing API keys). */
    public synchronized void recordRun(String specJson, String version) {
        try (PreparedStatement q = db.prepareStatement(
                "INSERT INTO runs (started_at, emlab_version, spec) VALUES (?, ?, ?)")) {
            q.setString(1, Instant.now().toString());
            q.setString(2, version);
            q.setString(3, specJson);
            q.executeUpdate();
        } catch (SQLException e) {
            throw StoreFailure.of("the store", file, e, "the answers and scores it held are asked again", "Cannot write to the store");
        }
    }

    public synchronized int size() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM completions")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw StoreFailure.of("the store", file, e, "the answers and scores it held are asked again", "Cannot read the store");
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing a read-mostly cache: nothing to recover
        }
    }
}
