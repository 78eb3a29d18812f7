package dev.emlab.model;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently to retry a remote fault: exponential backoff with jitter, and the
 * server's Retry-After when it gives one.
 *
 * @param maxRetries retries after the first attempt
 * @param timeout how long one attempt may take before it counts as a fault
 */
public record RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Duration timeout) {
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(120));

    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
    }

    /** The wait before retry number {@code attempt} (0-based), honouring the server's hint. */
    public Duration delay(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            // The server knows when it will take us again; only an absurd hint is cut short.
            Duration hinted = retryAfter.get();
            return hinted.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : hinted;
        }
        long base = baseDelay.toMillis() << Math.min(attempt, 20);
        long capped = Math.min(base, maxDelay.toMillis());
        // Jitter spreads retries of many concurrent requests so they do not hit the server together.
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    /** How long a server asked to wait: {@code retry-after-ms}, else {@code Retry-After} in seconds or as a date. */
    public static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> ms = response.headers().firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis((long) Double.parseDouble(ms.get().trim())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        Optional<String> value = response.headers().firstValue("retry-after");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get().trim();
        try {
            return Optional.of(Duration.ofMillis((long) (Double.parseDouble(v) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException notDate) {
                return Optional.empty();
            }
        }
    }
}
