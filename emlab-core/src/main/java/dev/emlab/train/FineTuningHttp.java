package dev.emlab.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.emlab.Json;
import dev.emlab.model.EndpointException;
import dev.emlab.model.EndpointRef;
import dev.emlab.model.RequestFailedException;
import dev.emlab.model.ApiKey;
import dev.emlab.model.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The transport of the fine-tuning calls: one JSON request with retries on 429, 408, 5xx, timeouts,
 * dropped connections and malformed bodies, the key kept out of every message.
 */
final class FineTuningHttp {
    private static final int MAX_CONNECT_RETRIES = 2;

    /**
     * A final answer: 2xx with its JSON, or a 4xx the caller must judge (its message redacted).
     */
    record Reply(int status, JsonNode json, String message) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final String baseUrl;
    private final ApiKey key;
    private final RetryPolicy retry;
    private final HttpClient http;
    private final String keyEnv;
    private final boolean plainHttp;

    FineTuningHttp(String baseUrl, String apiKey, RetryPolicy retry) {
        this(baseUrl, apiKey, retry, null, false);
    }

    /**
     * @param keyEnv the variable that held the key, which the service's fine-tuned models need too; null for none
     * @param plainHttp the spec let that key go over plain http to this service, and so to its models
     */
    FineTuningHttp(String baseUrl, String apiKey, RetryPolicy retry, String keyEnv, boolean plainHttp) {
        this.keyEnv = keyEnv;
        this.plainHttp = plainHttp;
        this.baseUrl = baseUrl;
        this.key = ApiKey.of(apiKey);
        this.retry = retry;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The text with the key removed, for messages that quote the service. */
    String redact(String text) {
        return key.redact(text);
    }

    String baseUrl() {
        return baseUrl;
    }

    /**
     * What a reference to one of this service's models carries after its name: the key's variable
     * and, when the spec allowed it, {@code +plain-http}, so the models are asked as the service was.
     */
    String modelOptions() {
        return keyEnv == null ? "" : EndpointRef.KEY_ENV + keyEnv + (plainHttp ? EndpointRef.PLAIN_HTTP : "");
    }

    Reply get(String path) {
        return send("GET " + path, request(path).GET(), null);
    }

    /**
     * @param recover asked before a retry when the server may have acted on the request although its
     *     answer was lost; a present value is taken as the answer, so a create is not done twice
     */
    Reply postJson(String path, JsonNode body, Supplier<Optional<JsonNode>> recover) {
        HttpRequest.Builder builder = request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        return send("POST " + path, builder, recover);
    }

    /** Posts form fields and one file as multipart/form-data (java.net.http has no helper for it). */
    Reply postFile(String path, String purpose, String filename, byte[] content) {
        String boundary = "emlab-" + UUID.randomUUID().toString().replace("-", "");
        HttpRequest.Builder builder = request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, purpose, filename, content)));
        return send("POST " + path, builder, null);
    }

    static byte[] multipart(String boundary, String purpose, String filename, byte[] content) {
        // Quotes and line breaks would end the header early; the service keeps the name for display only.
        String safeName = filename.replaceAll("[\"\\r\\n\\\\]", "_");
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose + "\r\n");
        write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + safeName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        out.writeBytes(content);
        write(out, "\r\n--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(retry.timeout());
        key.authorize(builder);
        return builder;
    }

    private Reply send(String what, HttpRequest.Builder builder, Supplier<Optional<JsonNode>> recover) {
        HttpRequest request = builder.build();
        String lastFault = "no attempt made";
        for (int attempt = 0; ; attempt++) {
            Optional<Duration> retryAfter = Optional.empty();
            boolean maybeDone = false;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    Optional<JsonNode> json = parse(response.body());
                    if (json.isPresent()) {
                        // an echoed key must not reach the fine-tune cache or a result (model names, events)
                        return new Reply(status, key.redact(json.get()), null);
                    }
                    lastFault = "malformed response (not a JSON object)";
                    maybeDone = true;
                } else if (status == 401 || status == 403) {
                    throw new EndpointException(baseUrl + " rejected the API key (HTTP " + status + "): "
                            + key.serverMessage(response.body())
                            + "\nSet the right key in the environment variable " + (keyEnv != null ? keyEnv
                                    : "that the spec's train.api_key_env names (a service other than OpenAI's gets"
                                    + " a key only when it names one)") + ".");
                } else if (status == 429 || status == 408 || status >= 500) {
                    lastFault = "HTTP " + status + " " + key.serverMessage(response.body());
                    retryAfter = RetryPolicy.retryAfter(response);
                    maybeDone = status >= 500;
                } else {
                    return new Reply(status, parse(response.body()).orElse(null), key.serverMessage(response.body()));
                }
            } catch (HttpTimeoutException e) {
                lastFault = "no answer within " + retry.timeout().toSeconds() + " s";
                maybeDone = true;
            } catch (ConnectException e) {
                lastFault = "connection refused";
                // A refused connection is rarely transient (a typo, a server not started): fail fast.
                if (attempt >= Math.min(retry.maxRetries(), MAX_CONNECT_RETRIES)) {
                    throw new EndpointException("Cannot reach " + baseUrl + " (" + lastFault
                            + "). Is the service running, and is the URL right?");
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
                Optional<JsonNode> done = recover.get();
                if (done.isPresent()) {
                    return new Reply(200, done.get(), null);
                }
            }
            if (lastAttempt) {
                throw new RequestFailedException(baseUrl + ": " + what + " gave up after " + (attempt + 1)
                        + " attempts; last fault: " + lastFault);
            }
        }
    }

    private static Optional<JsonNode> parse(String body) {
        try {
            JsonNode root = Json.MAPPER.readTree(body);
            return root != null && root.isObject() ? Optional.of(root) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
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
