package dev.emlab.testing;

import dev.emlab.train.FineTuneSession;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A {@link FineTuneSession} in memory for tests: records events and progress, asks to stop once a
 * chosen status was reported, and runs a hook on each progress report (to script faults mid-run).
 */
public final class InMemoryFineTuneSession implements FineTuneSession {
    private final Map<String, String> memory = new ConcurrentHashMap<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> statuses = new CopyOnWriteArrayList<>();
    private final List<Double> fractions = new CopyOnWriteArrayList<>();
    private volatile String stopAt;
    private volatile boolean stop;
    private volatile BiConsumer<String, Double> onProgress = (status, fraction) -> {};

    /** A new session that recalls these values, as a later process would read them from disk. */
    public static InMemoryFineTuneSession recalling(Map<String, String> remembered) {
        InMemoryFineTuneSession s = new InMemoryFineTuneSession();
        s.memory.putAll(remembered);
        return s;
    }

    /** Asks to stop as soon as this status is reported (null: never). */
    public InMemoryFineTuneSession stopAt(String status) {
        stopAt = status;
        stop = false;
        return this;
    }

    public InMemoryFineTuneSession onProgress(BiConsumer<String, Double> hook) {
        onProgress = hook;
        return this;
    }

    @Override
    public Optional<String> recall(String key) {
        return Optional.ofNullable(memory.get(key));
    }

    @Override
    public void remember(String key, String value) {
        memory.put(key, value);
    }

    @Override
    public void event(String message) {
        events.add(message);
    }

    @Override
    public void progress(String status, double fraction) {
        statuses.add(status);
        fractions.add(fraction);
        if (status.equals(stopAt)) {
            stop = true;
        }
        onProgress.accept(status, fraction);
    }

    @Override
    public boolean stopRequested() {
        return stop;
    }

    public Map<String, String> remembered() {
        return Map.copyOf(memory);
    }

    public List<String> events() {
        return List.copyOf(events);
    }

    public List<String> statuses() {
        return List.copyOf(statuses);
    }

    public List<Double> fractions() {
        return List.copyOf(fractions);
    }
}
