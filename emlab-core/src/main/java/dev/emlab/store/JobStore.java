package dev.emlab.store;

import dev.emlab.EmlabException;
import dev.emlab.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An experiment's jobs and final per-sample scores, in the experiment's SQLite file beside the
 * completions. Every state change is committed at once, so {@code emlab status} (another
 * process) sees the run as it goes and a killed run knows what it finished. Thread-safe.
 */
public final class JobStore implements AutoCloseable {
    /** Where a job stands. {@code RUNNING} rows found by a new run are left over from a killed one. */
    public enum State { PENDING, RUNNING, DONE, FAILED, BLOCKED }

    /** One job's row; {@code result} is the job's JSON result when done, {@code error} why it failed. */
    public record JobRow(String id, String kind, int position, String key, State state, int attempts, String result,
                         String error, String updatedAt) {}

    /** A job as the plan names it. */
    public record Planned(String id, String kind, String key) {}

    /** One judged answer of the final aggregation. */
    public record SampleRow(String group, String model, String questionId, int paraphrase, int sample, String answer,
                            String scores, Boolean misaligned, String error) {}

    private final Connection db;
    private final Path file;

    private JobStore(Connection db, Path file) {
        this.db = db;
        this.file = file;
    }

    /** Opens (creating) the store; {@code readOnly} for watchers that must not create a file. */
    public static JobStore open(Path file, boolean readOnly) {
        if (readOnly && !Files.exists(file)) {
            throw new InputException("No experiment store at " + file + ": give a run folder that 'emlab run' made.");
        }
        try {
            if (!readOnly) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout=30000");
                if (!readOnly) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("""
                            CREATE TABLE IF NOT EXISTS jobs (
                              id TEXT PRIMARY KEY, kind TEXT NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL,
                              state TEXT NOT NULL, attempts INTEGER NOT NULL, result TEXT, error TEXT,
                              updated_at TEXT NOT NULL)""");
                    s.execute("""
                            CREATE TABLE IF NOT EXISTS samples (
                              grp TEXT NOT NULL, model TEXT NOT NULL, question_id TEXT NOT NULL, paraphrase INTEGER NOT NULL,
                              sample INTEGER NOT NULL, answer TEXT, scores TEXT NOT NULL, misaligned INTEGER, error TEXT)""");
                    s.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
                } else if (!hasJobs(s)) {
                    s.close();
                    db.close();
                    throw new InputException(file + " holds no experiment: it is the answer store of an 'emlab eval' or"
                            + " 'emlab demo' folder. 'emlab status' follows experiments that 'emlab run' made; for this"
                            + " folder use 'emlab report " + file.toAbsolutePath().getParent() + "'.");
                }
            }
            return new JobStore(db, file);
        } catch (SQLException | java.io.IOException e) {
            throw StoreFailure.of("the experiment store", file, e, "finished jobs run again (fine-tunes stay in their cache)",
                    "Cannot open the experiment store");
        }
    }

    private static boolean hasJobs(Statement s) throws SQLException {
        try (java.sql.ResultSet r = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'jobs'")) {
            return r.next();
        }
    }

    /**
     * Makes the table hold exactly these jobs, in this order: a new job is pending, a job whose key
     * changed (the spec changed what it does) starts over, a job left running by a killed run is
     * pending again, and jobs no longer planned are removed. Finished jobs with the same key stay.
     *
     */
    public synchronized void plan(List<Planned> jobs) {
        try {
            db.setAutoCommit(false);
            Set<String> keep = new HashSet<>();
            for (int i = 0; i < jobs.size(); i++) {
                Planned j = jobs.get(i);
                keep.add(j.id());
                Optional<JobRow> old = find(j.id());
                if (old.isEmpty() || !old.get().key().equals(j.key())) {
                    exec("INSERT OR REPLACE INTO jobs VALUES (?, ?, ?, ?, 'PENDING', 0, NULL, NULL, ?)",
                            j.id(), j.kind(), i, j.key(), Instant.now().toString());
                } else {
                    exec("UPDATE jobs SET position = ?, state = CASE WHEN state = 'RUNNING' OR state = 'BLOCKED' THEN 'PENDING'"
                            + " ELSE state END WHERE id = ?", i, j.id());
                }
            }
            for (JobRow r : jobs()) {
                if (!keep.contains(r.id())) {
                    exec("DELETE FROM jobs WHERE id = ?", r.id());
                }
            }
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw failure(e);
        } finally {
            autoCommit();
        }
    }

    /** Adds a job discovered while running (e.g. a checkpoint that training produced), pending unless known. */
    public synchronized void add(String id, String kind, String key) {
        Optional<JobRow> old = find(id);
        if (old.isPresent() && old.get().key().equals(key)) {
            return;
        }
        exec("INSERT OR REPLACE INTO jobs VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM jobs), ?, 'PENDING', 0,"
                + " NULL, NULL, ?)", id, kind, key, Instant.now().toString());
    }

    public synchronized void running(String id) {
        exec("UPDATE jobs SET state = 'RUNNING', attempts = attempts + 1, error = NULL, updated_at = ? WHERE id = ?",
                Instant.now().toString(), id);
    }

    public synchronized void done(String id, String result) {
        exec("UPDATE jobs SET state = 'DONE', result = ?, error = NULL, updated_at = ? WHERE id = ?", result,
                Instant.now().toString(), id);
    }

    public synchronized void failed(String id, String error) {
        exec("UPDATE jobs SET state = 'FAILED', error = ?, updated_at = ? WHERE id = ?", error, Instant.now().toString(), id);
    }

    /** Waiting on a job that failed; tried again on the next run. */
    public synchronized void blocked(String id, String why) {
        exec("UPDATE jobs SET state = 'BLOCKED', error = ?, updated_at = ? WHERE id = ?", why, Instant.now().toString(), id);
    }

    /** Back to pending: a job stopped by the user, to be continued by the next run. */
    public synchronized void pending(String id) {
        exec("UPDATE jobs SET state = 'PENDING', updated_at = ? WHERE id = ?", Instant.now().toString(), id);
    }

    public synchronized Optional<JobRow> find(String id) {
        List<JobRow> rows = query("SELECT * FROM jobs WHERE id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Every job, in plan order. */
    public synchronized List<JobRow> jobs() {
        return query("SELECT * FROM jobs ORDER BY position, id");
    }

    /** Replaces the stored per-sample scores with these. */
    public synchronized void samples(Collection<SampleRow> rows) {
        try {
            db.setAutoCommit(false);
            exec("DELETE FROM samples");
            try (PreparedStatement q = db.prepareStatement("INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (SampleRow r : rows) {
                    q.setString(1, r.group());
                    q.setString(2, r.model());
                    q.setString(3, r.questionId());
                    q.setInt(4, r.paraphrase());
                    q.setInt(5, r.sample());
                    q.setString(6, r.answer());
                    q.setString(7, r.scores());
                    q.setObject(8, r.misaligned() == null ? null : r.misaligned() ? 1 : 0);
                    q.setString(9, r.error());
                    q.addBatch();
                }
                q.executeBatch();
            }
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw failure(e);
        } finally {
            autoCommit();
        }
    }

    public synchronized int sampleCount() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM samples")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public synchronized void meta(String name, String value) {
        exec("INSERT OR REPLACE INTO meta VALUES (?, ?)", name, value);
    }

    public synchronized Optional<String> meta(String name) {
        try (PreparedStatement q = db.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void exec(String sql, Object... args) {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            q.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private List<JobRow> query(String sql, Object... args) {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setObject(i + 1, args[i]);
            }
            List<JobRow> rows = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new JobRow(rs.getString("id"), rs.getString("kind"), rs.getInt("position"), rs.getString("key"),
                            State.valueOf(rs.getString("state")), rs.getInt("attempts"), rs.getString("result"),
                            rs.getString("error"), rs.getString("updated_at")));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the failure being reported is the one that matters
        }
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is unusable anyway; the next call reports it
        }
    }

    private EmlabException failure(SQLException e) {
        return StoreFailure.of("the experiment store", file, e, "finished jobs run again (fine-tunes stay in their cache)",
                "Cannot use the experiment store");
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // nothing to recover when closing
        }
    }
}
