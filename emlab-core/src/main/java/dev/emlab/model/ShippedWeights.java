package dev.emlab.model;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version of an organism checkpoint that ships inside emlab's jar: a hash of its weights.
 * Caches key {@code organism:} references by it, because the name stays the same when emlab
 * ships new weights. Read from the classpath, where the organism module puts them.
 */
final class ShippedWeights {
    private static final Map<String, Optional<String>> VERSIONS = new ConcurrentHashMap<>();

    private ShippedWeights() {}

    /** The first 12 hex digits of the SHA-256 of checkpoint {@code name}'s weights; empty when not shipped. */
    static Optional<String> version(String name) {
        return VERSIONS.computeIfAbsent(name, ShippedWeights::read);
    }

    private static Optional<String> read(String name) {
        String resource = LocalRef.SHIPPED + name + "/model.safetensors";
        try (InputStream in = ShippedWeights.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
            return Optional.of(HexFormat.of().formatHex(sha.digest()).substring(0, 12));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot read " + resource + ": " + e.getMessage(), e);
        }
    }
}
