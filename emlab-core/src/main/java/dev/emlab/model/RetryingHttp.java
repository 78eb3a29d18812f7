package dev.emlab.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The one retry loop of every call to an OpenAI-compatible service (chat, completions, files,
 * fine-tuning), and its one status taxonomy.
 *
 * <ul>
 *   <li>2xx with a JSON object the caller can read is the answer; any other 2xx body is retried.
 *   <li>401 and 403 doom every request: an {@link EndpointException} with the server's words and
 *       a hint on which variable holds the key.
 *   <li>408, 429 and 5xx, timeouts and dropped connections are retried with the {@link RetryPolicy}'s
 *       backoff and jitter, or after the server's Retry-After when it gives one.
 *   <li>A refused connection is retried as a restart once the server has answered; before, it is
 *       most likely a typo, so it fails fast with an {@link EndpointException}.
 *   <li>Every other status (404 and the rest of 4xx) is a refusal of this request, handed back for
 *       the caller to judge: a 404 means an unknown model to a chat client, a gone job to a fine-tuner.
 * </ul>
 *
 * The key is kept out of every message and every answer, since servers sometimes echo it.
 */
public final class RetryingHttp {
    /** Refused connections retried while the server has never answered. */
    private static final int MAX_CONNECT_RETRIES = 2;

    /** Reads a 2xx JSON object; a body it cannot read is retried like any other fault. */
    public interface Reader<T> {
        T read(JsonNode root) throws MalformedResponse;
    }

    /** A 2xx answer without what the caller needs. */
    public static final class MalformedResponse extends Exception {
        public MalformedResponse(String message) {
            super(message);
        }
    }

    /**
     * The final answer to one request: a 2xx read into {@code value}, or a refusal with its status,
     * its JSON {@code body} (null when not JSON) and the server's {@code message}, both redacted.
     */
    public record Reply<T>(int status, T value, JsonNode body, String message) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    /**
     * Where the service's key comes from, for the hint of a rejected key.
     *
     * @param variable the environment variable that held the key; null when the caller does not know it
     * @param namedBy where a user names that variable ({@code --api-key-env}, {@code the spec's train.api_key_env})
     */
    public record KeyOrigin(String variable, String namedBy) {}

    private final String baseUrl;
    private final ApiKey key;
    private final RetryPolicy retry;
    private final KeyOrigin origin;
    private final HttpClient http;
    // a server that has answered once and now refuses is restarting; one that never answered is most likely a typo
    private final AtomicBoolean answered = new AtomicBoolean();

    /** @param apiKey the bearer token, or null for services that need none */
    public RetryingHttp(String baseUrl, String apiKey, RetryPolicy retry, KeyOrigin origin) {
        this.baseUrl = baseUrl;
        this.key = ApiKey.of(apiKey);
        this.retry = retry;
        this.origin = origin;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The text with the key (and every other key this process was given) removed, for messages that quote a server. */
    public String redact(String text) {
        return key.redact(text);
    }

    /** A request to {@code baseUrl + path} with this policy's timeout and the bearer key. */
    public HttpRequest.Builder request(String path) {
        return key.authorize(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(retry.timeout()));
    }

    /**
     * Sends the request until it is answered, refused, or the retries run out.
     *
     * @param what the request in messages (a model reference, {@code GET URL})
     * @param recover asked after the wait before a retry when the server may have acted on the request
     *     although its answer was lost (a 5xx, a timeout, a malformed body); a present value is taken
     *     as the answer, so a create is not done twice; null for requests that are safe to repeat
     * @throws EndpointException for faults that doom every request (rejected key, no server)
     * @throws RequestFailedException when the retries run out
     */
    public <T> Reply<T> send(String what, HttpRequest request, Reader<T> reader, Supplier<Optional<T>> recover) {
        String lastFault = "no attempt made";
        for (int attempt = 0; ; attempt++) {
            Optional<Duration> retryAfter = Optional.empty();
            boolean maybeDone = false;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                answered.set(true);
                int status = response.statusCode();
                if (status / 100 == 2) {
                    try {
                        // an echoed key must not reach an answer, a judge record, the store or the fine-tune cache
                        return new Reply<>(status, reader.read(key.redact(json(response.body()))), null, null);
                    } catch (MalformedResponse e) {
                        lastFault = "malformed response (" + e.getMessage() + ")";
                        maybeDone = true;
                    }
                } else if (status == 401 || status == 403) {
                    throw new EndpointException(baseUrl + " rejected the API key (HTTP " + status + "): "
                            + key.serverMessage(response.body()) + "\n" + keyHint());
                } else if (status == 408 || status == 429 || status >= 500) {
                    lastFault = "HTTP " + status + " " + key.serverMessage(response.body());
                    retryAfter = RetryPolicy.retryAfter(response);
                    maybeDone = status >= 500;
                } else {
                    JsonNode body;
                    try {
                        body = key.redact(json(response.body()));
                    } catch (MalformedResponse notJson) {
                        body = null;
                    }
                    return new Reply<>(status, null, body, key.serverMessage(response.body()));
                }
            } catch (HttpTimeoutException e) {
                lastFault = "no answer within " + retry.timeout().toSeconds() + " s";
                maybeDone = true;
            } catch (ConnectException e) {
                lastFault = "connection refused";
                int allowed = answered.get() ? retry.maxRetries() : Math.min(retry.maxRetries(), MAX_CONNECT_RETRIES);
                if (attempt >= allowed) {
                    throw new EndpointException("Cannot reach " + baseUrl + " (" + lastFault + ", " + (attempt + 1)
                            + (attempt == 0 ? " attempt" : " attempts") + "). Is the server running, and is the URL right?"
                            + " Run the same command again to resume: what is already stored is kept.");
                }
            } catch (IOException e) {
                lastFault = "connection error: " + key.redact(String.valueOf(e.getMessage()));
                maybeDone = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RequestFailedException("interrupted");
            }
            boolean lastAttempt = attempt >= retry.maxRetries();
            if (!lastAttempt) {
                sleep(retry.delay(attempt, retryAfter));
            }
            if (maybeDone && recover != null) {
                Optional<T> done = recover.get();
                if (done.isPresent()) {
                    return new Reply<>(200, done.get(), null, null);
                }
            }
            if (lastAttempt) {
                throw new RequestFailedException(what + ": gave up after " + (attempt + 1) + " attempts; last fault: "
                        + lastFault);
            }
        }
    }

    /**
     * Which variable to fix. When no key was sent the fix is to provide one, not to change it: emlab
     * sends a key only to the endpoint whose variable is named, so an unnamed one gets none.
     */
    private String keyHint() {
        if (!key.present()) {
            return origin.variable() != null
                    ? "emlab sent no key: set the environment variable " + origin.variable() + " to this server's key."
                    : "emlab sent no key: it sends one only to the endpoint it belongs to. Name the variable that holds"
                    + " this server's key with " + origin.namedBy() + ".";
        }
        return "Set the right key in the environment variable "
                + (origin.variable() != null ? origin.variable() : "named by " + origin.namedBy()) + ".";
    }

    private static JsonNode json(String body) throws MalformedResponse {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            if (root == null || !root.isObject()) {
                throw new MalformedResponse("not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new MalformedResponse("not valid JSON");
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestFailedException("interrupted");
        }
    }
}
