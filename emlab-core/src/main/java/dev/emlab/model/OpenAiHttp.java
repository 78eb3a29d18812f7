package dev.emlab.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * What the OpenAI-compatible clients share: the HTTP client, the bearer key, retries with
 * backoff and Retry-After, which faults are fatal for the run, and error messages with the key
 * masked. {@link OpenAiChatModel} and {@link OpenAiCompletionModel} differ only in the body they
 * send and how they read the answer.
 */
final class OpenAiHttp {
    private static final int MAX_CONNECT_RETRIES = 2;

    /** Reads a 200 response; a body it cannot read is retried like any other fault. */
    interface Reader<T> {
        T read(JsonNode root) throws MalformedResponse;
    }

    /** A 200 response without the fields the client needs. */
    static final class MalformedResponse extends Exception {
        MalformedResponse(String message) {
            super(message);
        }
    }

    private final EndpointRef ref;
    private final ApiKey key;
    private final RetryPolicy retry;
    private final HttpClient http;
    // a server that has answered once and now refuses is restarting; one that never answered is most likely a typo
    private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();

    /** @param apiKey the bearer token, or null for endpoints that need none */
    OpenAiHttp(EndpointRef ref, String apiKey, RetryPolicy retry) {
        this.ref = ref;
        this.key = ApiKey.of(apiKey);
        this.retry = retry;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    EndpointRef ref() {
        return ref;
    }

    /** A request body naming this endpoint's model. */
    ObjectNode body() {
        return Json.MAPPER.createObjectNode().put("model", ref.model());
    }

    /**
     * POSTs the body to {@code baseUrl + path} until an answer can be read or the retries run out.
     *
     * @throws EndpointException for faults that doom every request (rejected key, unknown model, no server)
     * @throws RequestFailedException for this request's own failure
     */
    <T> T post(String path, ObjectNode body, Reader<T> reader) {
        HttpRequest httpRequest = request(path, body);
        String lastFault = "no attempt made";
        for (int attempt = 0; ; attempt++) {
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                answered.set(true);
                if (status == 200) {
                    try {
                        // an echoed key must not reach the answer, the judge record or the store
                        return reader.read(key.redact(parse(response.body())));
                    } catch (MalformedResponse e) {
                        lastFault = "malformed response (" + e.getMessage() + ")";
                    }
                } else if (status == 401 || status == 403) {
                    throw new EndpointException(ref.baseUrl() + " rejected the API key (HTTP " + status + "): "
                            + key.serverMessage(response.body())
                            + (ref.isOpenAi() || ref.keyEnv() != null
                            ? "\nSet the right key in the environment variable " + (ref.keyEnv() != null ? ref.keyEnv()
                                    : "named by --api-key-env") + "."
                            : "\nemlab sends a key only to the endpoint it belongs to: name the variable that holds this"
                                    + " server's key in the reference, as " + ref.baseUrl() + "#" + ref.model()
                                    + EndpointRef.KEY_ENV + "VAR."));
                } else if (status == 404) {
                    throw new EndpointException(ref.baseUrl() + " does not serve model '" + ref.model()
                            + "' at " + path + " (HTTP 404): " + key.serverMessage(response.body()));
                } else if (status == 429 || status == 408 || status >= 500) {
                    lastFault = "HTTP " + status + " " + key.serverMessage(response.body());
                    retryAfter = RetryPolicy.retryAfter(response);
                } else {
                    throw new RequestFailedException(ref.text() + ": HTTP " + status + " "
                            + key.serverMessage(response.body()));
                }
            } catch (HttpTimeoutException e) {
                lastFault = "no answer within " + retry.timeout().toSeconds() + " s";
            } catch (ConnectException e) {
                lastFault = "connection refused";
                // Before the server has ever answered, a refusal is most likely a typo or a server not
                // started: fail fast. After, it is a restart, retried with backoff like any other fault.
                int allowed = answered.get() ? retry.maxRetries() : Math.min(retry.maxRetries(), MAX_CONNECT_RETRIES);
                if (attempt >= allowed) {
                    throw new EndpointException("Cannot reach " + ref.baseUrl() + " (" + lastFault + ", " + (attempt + 1)
                            + (attempt == 0 ? " attempt" : " attempts") + "). Is the server running, and is the URL right?"
                            + " Run the same command again to resume: what is already stored is kept.");
                }
            } catch (IOException e) {
                lastFault = "connection error: " + key.redact(String.valueOf(e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RequestFailedException("interrupted");
            }
            if (attempt >= retry.maxRetries()) {
                throw new RequestFailedException(ref.text() + ": gave up after " + (attempt + 1)
                        + " attempts; last fault: " + lastFault);
            }
            sleep(retry.delay(attempt, retryAfter));
        }
    }

    private HttpRequest request(String path, ObjectNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(ref.baseUrl() + path))
                .timeout(retry.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        key.authorize(builder);
        return builder.build();
    }

    private static JsonNode parse(String body) throws MalformedResponse {
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
