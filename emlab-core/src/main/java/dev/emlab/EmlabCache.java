package dev.emlab;

import java.nio.file.Path;

/** Where emlab keeps what outlives one run: shipped checkpoints unpacked, finished fine-tunes. */
public final class EmlabCache {
    private EmlabCache() {}

    /** {@code $EMLAB_CACHE} (or the system property {@code emlab.cache}), else {@code ~/.cache/emlab}. */
    public static Path root() {
        String cache = System.getProperty("emlab.cache", System.getenv("EMLAB_CACHE"));
        return cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "emlab");
    }
}
