package dev.emlab.train;

import java.util.Optional;

/**
 * What a fine-tune may keep across attempts and tell the user while it runs. Remembered values
 * are written to disk at once, so a fine-tune killed after it started a paid remote job picks
 * the same job up again instead of starting (and paying for) another.
 */
public interface FineTuneSession {
    /** A value remembered by this or an earlier attempt of the same fine-tune. */
    Optional<String> recall(String key);

    /** Remembers a value (e.g. {@code file_id}, {@code job_id}) durably before returning. */
    void remember(String key, String value);

    /** A line for the log, e.g. a remote job's event. */
    void event(String message);

    /** Progress of the fine-tune: a short status and how far it is (0..1, or NaN if unknown). */
    void progress(String status, double fraction);

    /** True once the user asked emlab to stop; the backend returns soon, keeping its work. */
    boolean stopRequested();

    /** Where a session's events, progress and stop requests come from and go to. */
    interface Listener {
        void event(String message);

        void progress(String status, double fraction);

        boolean stopRequested();
    }
}
